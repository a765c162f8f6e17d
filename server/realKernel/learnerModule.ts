import { execFile } from "node:child_process";
import { existsSync, readFileSync, renameSync, rmSync } from "node:fs";
import { gzipSync } from "node:zlib";
import type { StepLineMap } from "../../shared/listings/stepLines.ts";
import {
  C_CALL_MARKERS,
  type ModuleName,
  type StepId,
  VARIANTS,
  type Variant,
} from "../../shared/protocol/steps.ts";
import { listings } from "../lab/listingSources.ts";
import { trackBuild } from "./buildsInFlight.ts";

/** One module of a learner's successful build, as the engine loads it in the guest. */
export type LearnerModule = {
  buildId: number;
  module: ModuleName;
  /** The listing the learner's edits started from: its step ids and TS twin lines are borrowed. */
  base: Variant;
  /** The C exactly as built: its printk formats, step lines and oops links are this text's. */
  source: string;
  /** The built .ko on the host, with its DWARF (the stepper and the oops links read it). */
  koPath: string;
};

/**
 * The step lines of the learner's C. A learner's edit may move, drop or rewrite any call, so this
 * never throws as the shipped listings' map does: a step is mapped when the call text of its base
 * listing (or, failing that, of the other listing: `sock->ops->bind(` rewritten as `kernel_bind(`)
 * stands on exactly one line. Its TS line is the shipped twin's, only so the event keeps its shape:
 * the page shows no twin for edited code.
 */
export function learnerStepLines(base: Variant, module: ModuleName, cText: string): StepLineMap {
  const map: StepLineMap = { byStep: {}, byCLine: {}, byTsLine: {} };
  const lines = cText.split("\n");
  const order = [base, ...VARIANTS.filter((v) => v !== base)];
  const steps = new Set<StepId>(order.flatMap((v) => Object.keys(C_CALL_MARKERS[v][module]) as StepId[]));
  for (const step of steps) {
    for (const variant of order) {
      const marker = C_CALL_MARKERS[variant][module][step];
      if (!marker) continue;
      const found = lines.flatMap((line, i) => (line.includes(marker) ? [i + 1] : []));
      const cLine = found[0];
      if (found.length !== 1 || cLine === undefined || map.byCLine[cLine]) continue;
      const tsLine =
        listings()[variant]?.[module]?.map.byStep[step]?.tsLine ??
        listings()[base]?.[module]?.map.byStep[step]?.tsLine ??
        1;
      map.byStep[step] = { cLine, tsLine };
      map.byCLine[cLine] = step;
      break;
    }
  }
  return map;
}

/** Where the guest's copy of a build's module is kept on the host, beside the full one. */
export function guestKoPath(koPath: string): string {
  return koPath.replace(/\.ko$/, ".guest.ko");
}

/**
 * The module as it travels to the guest: without its debug sections (the host keeps those for the
 * line table; the kernel never reads them), gzipped and in base64, one word on the init's command
 * line: a build's .ko of ~430 KB goes as ~4 KB. The stripped file stays on the host at
 * guestKoPath(): its symbol table is the one the guest's `struct module` copies, which the
 * stepper matches entry by entry.
 */
export async function guestPayload(koPath: string): Promise<string> {
  const stripped = guestKoPath(koPath);
  if (!existsSync(stripped)) {
    const part = `${stripped}.${process.pid}.part`;
    try {
      await new Promise<void>((resolve, reject) =>
        trackBuild(
          execFile("strip", ["--strip-debug", "-o", part, koPath], (error, _out, stderr) =>
            error ? reject(new Error(`strip failed: ${stderr || error.message}`)) : resolve(),
          ),
        ),
      );
      renameSync(part, stripped);
    } finally {
      rmSync(part, { force: true });
    }
  }
  return gzipSync(readFileSync(stripped), { level: 9 }).toString("base64");
}
