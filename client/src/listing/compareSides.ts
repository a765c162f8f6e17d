import type { TFunction } from "i18next";
import type { BundledListing } from "virtual:listings";
import type { Bilingual } from "../../../shared/content/bilingual.ts";
import type { StepLineMap } from "../../../shared/listings/stepLines.ts";
import type { ModuleName, StepId } from "../../../shared/protocol/steps.ts";
import type { Language } from "../i18n/i18n.ts";
import type { LineNote } from "./Listing.tsx";

/** The two listings a module is compared in: the C that the kernel would run, the TS that ran. */
export type Side = "c" | "ts";

/** Each side's file name as the page says it (server.c, serverModule.ts). */
export function sideFiles(module: ModuleName, listing: BundledListing): Record<Side, string> {
  return { c: `${module}.c`, ts: listing.tsFile.slice(listing.tsFile.lastIndexOf("/") + 1) };
}

/** A step's line on one side. */
export function lineOf(lines: { cLine: number; tsLine: number }, side: Side): number {
  return side === "c" ? lines.cLine : lines.tsLine;
}

/** The step a line of one side is mapped to. */
export function stepAtLine(map: StepLineMap, side: Side, line: number): StepId | undefined {
  return side === "c" ? map.byCLine[line] : map.byTsLine[line];
}

/** line → band index, one band per step in the module's step order, the same on both sides. */
export function stepBands(map: StepLineMap, steps: readonly StepId[], side: Side): Record<number, number> {
  const bands: Record<number, number> = {};
  steps.forEach((step, index) => {
    const lines = map.byStep[step];
    if (lines) bands[lineOf(lines, side)] = index;
  });
  return bands;
}

/** The accessible name of each mapped line's gutter button: the step and where its partner is. */
export function gutterLabels(
  t: TFunction,
  map: StepLineMap,
  side: Side,
  files: Record<Side, string>,
): Record<number, string> {
  const other: Side = side === "c" ? "ts" : "c";
  const labels: Record<number, string> = {};
  for (const [step, lines] of Object.entries(map.byStep)) {
    if (!lines) continue;
    const here = lineOf(lines, side);
    labels[here] = t("compare.gutter", {
      file: files[side],
      line: here,
      step,
      other: files[other],
      otherLine: lineOf(lines, other),
    });
  }
  return labels;
}

/** The listing's own notes (why a line has no partner) in the page's language. */
export function asNotes(
  byLine: Record<number, Bilingual>,
  language: Language,
): Record<number, readonly LineNote[]> {
  const notes: Record<number, readonly LineNote[]> = {};
  for (const [line, text] of Object.entries(byLine))
    notes[Number(line)] = [{ text: text[language], kind: "note" }];
  return notes;
}
