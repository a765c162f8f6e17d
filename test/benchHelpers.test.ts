import { describe, expect, it } from "vitest";
import { staticImports } from "../bench/firstLoad.ts";
import { median, percentile } from "../bench/stats.ts";

describe("the bench's order statistics", () => {
  it("reports a percentile that is one of the measured samples (nearest rank)", () => {
    const samples = [5, 1, 4, 2, 3, 10, 9, 8, 7, 6];
    expect(percentile(samples, 50)).toBe(5);
    expect(percentile(samples, 95)).toBe(10);
    expect(percentile(samples, 90)).toBe(9);
    expect(median([3, 1, 2])).toBe(2);
  });

  it("reports NaN, not zero, when nothing was measured", () => {
    expect(percentile([], 95)).toBeNaN();
  });
});

describe("the first-load byte count", () => {
  it("follows a chunk's hoisted static imports and re-exports", () => {
    const code = `import{a as b}from"./react-dom.js";import"./styles.js";export{c}from'../shared.js';const x=1;`;
    expect(staticImports(code)).toEqual(["./react-dom.js", "./styles.js", "../shared.js"]);
  });

  it("does not count lazy import() chunks or import-like text inside string literals", () => {
    const code = `import{a}from"./entry.js";const t=import("./terminal.js");const src="import type { K } from \\"./kernelApi.ts\\"";`;
    expect(staticImports(code)).toEqual(["./entry.js"]);
  });
});
