import { describe, expect, it } from "vitest";
import { errorKind, levelCap, loopShare, mainThreadSchedule } from "../bench/classroom.ts";
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

describe("what the classroom bench says capped a level", () => {
  it("tells a lesson starved of CPU from a descriptor shortage and a full server", () => {
    expect(errorKind("no matching event within 10000 ms; got:\n{}")).toBe("cpu");
    expect(errorKind("Unexpected server response: 408")).toBe("upgrade");
    expect(errorKind("client failed (-24)")).toBe("descriptors");
    expect(errorKind("server failed (-23)")).toBe("descriptors");
    expect(errorKind("server error full: the lab is full")).toBe("full");
    expect(errorKind("the WebSocket closed")).toBe("closed");
  });

  it("reads the scheduler's run and wait times and says whose cap a level met", () => {
    expect(mainThreadSchedule("1953715124 85223782562 1801\n")).toEqual({
      ranMs: 1953.715124,
      waitedMs: 85223.782562,
    });
    expect(loopShare({ loopRan: 0.95, loopWaited: 0.05 })).toContain("the app's own cap");
    expect(loopShare({ loopRan: 0.2, loopWaited: 0.6 })).toBe(
      "the app's event loop ran 20% of the level, waited ready for a core 60%, slept 20% (the machine's cap: the loop had work but no core)",
    );
    expect(loopShare({ loopRan: 0.3, loopWaited: 0.02 })).toContain("time to spare");
  });

  it("tells an upgrade reset unread at the header timeout from a lab's WebSocket reset later", () => {
    expect(errorKind("read ECONNRESET")).toBe("unread");
    expect(errorKind("websocket error: read ECONNRESET")).toBe("closed");
  });

  it("says nothing capped a level without errors, and names each cause with the descriptors at the peak", () => {
    expect(levelCap({ errors: [], fdsDuring: 4450 }, 20_000)).toBe(
      "nothing capped it (0 errors); descriptors peaked at 4450 of the limit of 20000",
    );
    const errors = [
      "no matching event within 10000 ms; got:\n",
      "no matching event within 10000 ms",
      "client failed (-24)",
    ];
    expect(levelCap({ errors, fdsDuring: 19_990 }, 20_000)).toBe(
      "capped by 2 lessons that waited over 10 s for an event (the CPU), 1 EMFILE / ENFILE or a socket-limit refusal (descriptors); descriptors peaked at 19990 of the limit of 20000",
    );
  });
});
