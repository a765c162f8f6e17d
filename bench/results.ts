import { writeFileSync } from "node:fs";
import type { Machine } from "./machine.ts";

/** One reported figure: what was measured, the goal it is held to, and whether it met it. */
export type Figure = {
  id: string;
  name: string;
  measured: string;
  target: string;
  /** undefined: informational, no target. */
  met?: boolean;
};

/** A benchmark's figures plus the notes that say what exactly was measured. */
export type BenchResult = { title: string; figures: Figure[]; notes: string[] };

function verdict(met: boolean | undefined): string {
  if (met === undefined) return "—";
  return met ? "yes" : "**no**";
}

export function table(results: readonly BenchResult[]): string {
  const rows = results.flatMap((r) => r.figures);
  const lines = ["| | figure | measured | target | met |", "| --- | --- | --- | --- | --- |"];
  for (const f of rows)
    lines.push(`| ${f.id} | ${f.name} | ${f.measured} | ${f.target} | ${verdict(f.met)} |`);
  return lines.join("\n");
}

/** The same table for a terminal: fixed-width columns, no markdown emphasis. */
export function plainTable(results: readonly BenchResult[]): string {
  const rows = results
    .flatMap((r) => r.figures)
    .map((f) => [f.id, f.name, f.measured, f.target, f.met === undefined ? "-" : f.met ? "yes" : "NO"]);
  const header = ["", "figure", "measured", "target", "met"];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join("  ");
  return [line(header), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)].join("\n");
}

export type RunInfo = { started: Date; seconds: number; loadBefore: string; loadAfter: string };

export function writeResults(
  path: string,
  machine: Machine,
  run: RunInfo,
  results: readonly BenchResult[],
): void {
  const sections = results.map((r) => [`### ${r.title}`, "", ...r.notes.map((n) => `- ${n}`)].join("\n"));
  const text = [
    "# Benchmark results",
    "",
    `Measured ${run.started.toISOString()} by \`npm run bench\` (${run.seconds.toFixed(0)} s).`,
    "",
    `Machine: ${machine.cpu}, ${machine.cores} cores, ${machine.memory} RAM, ${machine.kernel}, Node ${machine.node}; 1-minute load average ${run.loadBefore} before the run, ${run.loadAfter} after it (other work on the machine competes for the same cores).`,
    "",
    table(results),
    "",
    "## What each figure measures",
    "",
    ...sections.flatMap((s) => [s, ""]),
  ].join("\n");
  writeFileSync(path, text);
}
