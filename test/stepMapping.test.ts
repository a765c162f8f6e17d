import { describe, expect, it } from "vitest";
import { listings } from "../server/lab/listingSources.ts";
import { MODULE_IMPLS } from "../server/lab/moduleTable.ts";
import { deriveStepLines, printkLine, StepMappingError } from "../shared/listings/stepLines.ts";
import { C_CALL_MARKERS, MODULES, VARIANTS } from "../shared/protocol/steps.ts";

const available = VARIANTS.filter((variant) => listings()[variant]);

describe("step ↔ line mapping", () => {
  it("has the published listing of both modules on disk", () => {
    expect(available).toContain("published");
  });

  it("has a runnable module for every listing on disk, and a listing for every runnable module", () => {
    for (const variant of VARIANTS) expect(Boolean(MODULE_IMPLS[variant])).toBe(Boolean(listings()[variant]));
  });

  for (const variant of available) {
    for (const module of MODULES) {
      it(`maps every ${variant} ${module} step to one C line and one TS line, and back`, () => {
        const source = listings()[variant]![module];
        const table = C_CALL_MARKERS[variant][module];
        const cLines = source.cText.split("\n");
        const tsLines = source.tsText.split("\n");
        expect(Object.keys(table).length).toBeGreaterThan(0);
        for (const [step, callText] of Object.entries(table)) {
          const lines = source.map.byStep[step as keyof typeof source.map.byStep];
          expect(lines, step).toEqual({ cLine: expect.any(Number), tsLine: expect.any(Number) });
          expect(cLines[lines!.cLine - 1]).toContain(callText);
          expect(tsLines[lines!.tsLine - 1]).toContain(`k.call("${step}"`);
          expect(source.map.byCLine[lines!.cLine]).toBe(step);
          expect(source.map.byTsLine[lines!.tsLine]).toBe(step);
        }
        expect(Object.keys(source.map.byCLine)).toHaveLength(Object.keys(table).length);
        expect(Object.keys(source.map.byTsLine)).toHaveLength(Object.keys(table).length);
      });

      it(`finds the C line of every printk the ${variant} ${module} module makes`, () => {
        const source = listings()[variant]![module];
        // k.printk("…") in the published modules, pr_info(k, "…") and its kin in the fixed ones.
        const call = /(?:k\.printk\(|pr_(?:err|warn|info)\(k,\s*)("(?:[^"\\]|\\.)*")/g;
        const formats = [...source.tsText.matchAll(call)].map((m) => JSON.parse(m[1]!) as string);
        expect(formats.length).toBeGreaterThan(2);
        for (const fmt of formats) expect(printkLine(source.cText, fmt), fmt).toBeGreaterThan(0);
      });
    }
  }
});

describe("mapping errors", () => {
  const c = "ret=sock_create_kern(a);\nret=sock->ops->connect(s);\nret=kernel_sendmsg(s);\n";
  const ts =
    'await k.call("sock_create_kern", f);\nawait k.call("connect", f);\nawait k.call("kernel_sendmsg", f);\n';

  it("accepts sources where each step stands on exactly one line", () => {
    expect(deriveStepLines("published", "client", c, ts).byStep.connect).toEqual({ cLine: 2, tsLine: 2 });
  });

  it("fails when a step is missing from the TS module", () => {
    expect(() =>
      deriveStepLines("published", "client", c, ts.replace('k.call("connect", f);', "connect();")),
    ).toThrow(StepMappingError);
  });

  it("fails when a step's C call is missing from the C listing", () => {
    expect(() =>
      deriveStepLines("published", "client", c.replace("sock->ops->connect(", "connect("), ts),
    ).toThrow(/0 C lines/);
  });

  it("fails when a step's C call stands on two lines", () => {
    expect(() => deriveStepLines("published", "client", `${c}ret=sock->ops->connect(s);\n`, ts)).toThrow(
      /2 C lines/,
    );
  });

  it("fails when the TS calls a step twice", () => {
    expect(() => deriveStepLines("published", "client", c, `${ts}await k.call("connect", f);\n`)).toThrow(
      /2 TS lines/,
    );
  });

  it("fails when the TS calls a step the C table lacks", () => {
    expect(() => deriveStepLines("published", "client", c, `${ts}await k.call("accept", f);\n`)).toThrow(
      /C table lacks/,
    );
  });
});
