import type { ModuleName, StepId, Variant } from "../protocol/steps.ts";
import { C_CALL_MARKERS } from "../protocol/steps.ts";

/** Where each step of one module stands in its two sources. Lines are 1-based. */
export type StepLineMap = {
  /** step id → its C line and TS line */
  byStep: Partial<Record<StepId, { cLine: number; tsLine: number }>>;
  /** C line → step id, and TS line → step id: the reverse maps used for linked highlighting */
  byCLine: Record<number, StepId>;
  byTsLine: Record<number, StepId>;
};

export class StepMappingError extends Error {}

/** The marker of a step in the TS module: the gate call itself, so it cannot drift from the code. */
const TS_STEP_CALL = /k\.call\(\s*"([a-z_]+)"/g;

function linesContaining(text: string, needle: string): number[] {
  const found: number[] = [];
  text.split("\n").forEach((line, index) => {
    if (line.includes(needle)) found.push(index + 1);
  });
  return found;
}

/** Finds every `k.call("<id>"` in a TS module: step id → 1-based lines it stands on. */
export function tsStepMarkers(tsText: string): Map<string, number[]> {
  const markers = new Map<string, number[]>();
  tsText.split("\n").forEach((line, index) => {
    for (const match of line.matchAll(TS_STEP_CALL)) {
      const id = match[1] as string;
      markers.set(id, [...(markers.get(id) ?? []), index + 1]);
    }
  });
  return markers;
}

/**
 * Derives the step ↔ line map of one module from its two sources. Throws when a step is missing
 * from either side, stands on two lines, or the TS calls a step the C does not make.
 */
export function deriveStepLines(
  variant: Variant,
  module: ModuleName,
  cText: string,
  tsText: string,
): StepLineMap {
  const table = C_CALL_MARKERS[variant][module];
  const tsMarkers = tsStepMarkers(tsText);
  const map: StepLineMap = { byStep: {}, byCLine: {}, byTsLine: {} };
  const where = `${variant} ${module}`;
  for (const [step, callText] of Object.entries(table) as [StepId, string][]) {
    const cLines = linesContaining(cText, callText);
    const tsLines = tsMarkers.get(step) ?? [];
    if (cLines.length !== 1) {
      throw new StepMappingError(`${where}: step ${step} (C "${callText}") is on ${cLines.length} C lines`);
    }
    if (tsLines.length !== 1) {
      throw new StepMappingError(`${where}: step ${step} is called on ${tsLines.length} TS lines`);
    }
    const cLine = cLines[0] as number;
    const tsLine = tsLines[0] as number;
    map.byStep[step] = { cLine, tsLine };
    map.byCLine[cLine] = step;
    map.byTsLine[tsLine] = step;
  }
  for (const step of tsMarkers.keys()) {
    if (!(step in table))
      throw new StepMappingError(`${where}: TS calls step ${step}, which the C table lacks`);
  }
  return map;
}

/**
 * The line of a printk format string: the C line holding that exact string literal (the same
 * literal the TS module passes to k.printk), so a printk event lights the line that printed it.
 */
export function printkLine(sourceText: string, fmt: string): number | undefined {
  // Every printk of a lesson asks again; the listings never change, so each answer is kept.
  let bySource = printkLines.get(sourceText);
  if (!bySource) {
    bySource = new Map();
    printkLines.set(sourceText, bySource);
  }
  if (bySource.has(fmt)) return bySource.get(fmt);
  const lines = linesContaining(sourceText, JSON.stringify(fmt));
  const line = lines.length === 1 ? lines[0] : undefined;
  bySource.set(fmt, line);
  return line;
}

/** source text → printk format → its line; the few listings and their few formats bound its size. */
const printkLines = new Map<string, Map<string, number | undefined>>();
