import { existsSync, readFileSync, writeFileSync } from "node:fs";
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

/** The figure group a result or a section belongs to: the first word of its title ("P3 classroom" → "P3"). */
function groupOf(title: string): string {
  return title.split(" ")[0] ?? title;
}

/**
 * The table's figure rows with the group each belongs to: a row whose id cell is empty continues
 * the group of the row above it (a group's second and later figures).
 */
function figureRows(lines: readonly string[]): [string, string][] {
  const out: [string, string][] = [];
  let group: string | undefined;
  for (const line of lines) {
    const cell = /^\| *(P\d+)? *\|/.exec(line);
    if (!cell || line.startsWith("| ---") || / figure \|/.test(line)) continue;
    group = cell[1] ?? group;
    if (group) out.push([group, line]);
  }
  return out;
}

/** What an earlier results.md holds, by figure group, so a run of some figures keeps the others. */
type Kept = { rows: Map<string, string[]>; sections: Map<string, string> };

function readKept(path: string): Kept {
  const kept: Kept = { rows: new Map(), sections: new Map() };
  if (!existsSync(path)) return kept;
  const text = readFileSync(path, "utf8");
  for (const [id, line] of figureRows(text.split("\n"))) {
    kept.rows.set(id, [...(kept.rows.get(id) ?? []), line]);
  }
  const measured = text.split("## What each figure measures")[1] ?? "";
  for (const block of measured.split(/^### /m).slice(1)) {
    kept.sections.set(groupOf(block), `### ${block.trim()}`);
  }
  return kept;
}

/**
 * Writes the figures of this run into results.md. Figures this run did not measure (`npm run bench
 * -- P5` measures one group) keep their rows and notes from the file, each section saying when and
 * on what load it was measured, so a partial run never erases the rest.
 */
export function writeResults(
  path: string,
  machine: Machine,
  run: RunInfo,
  results: readonly BenchResult[],
): void {
  const kept = readKept(path);
  const fresh = new Set(results.map((r) => groupOf(r.title)));
  const when = `Measured ${run.started.toISOString()} (1-minute load average ${run.loadBefore} before, ${run.loadAfter} after).`;
  const sections = new Map(kept.sections);
  const rows = new Map(kept.rows);
  for (const r of results) {
    const id = groupOf(r.title);
    sections.set(id, [`### ${r.title}`, "", when, "", ...r.notes.map((n) => `- ${n}`)].join("\n"));
    rows.delete(id);
  }
  for (const [id, line] of figureRows(table(results).split("\n").slice(2))) {
    rows.set(id, [...(rows.get(id) ?? []), line]);
  }
  const byId = (a: string, b: string) => Number(a.slice(1)) - Number(b.slice(1));
  const ids = [...rows.keys()].sort(byId);
  const text = [
    "# Benchmark results",
    "",
    `Last run ${run.started.toISOString()} by \`npm run bench\` (${run.seconds.toFixed(0)} s; figures: ${[...fresh].join(", ")}). Each section below says when its figures were measured.`,
    "",
    `Machine: ${machine.cpu}, ${machine.cores} cores, ${machine.memory} RAM, ${machine.kernel}, Node ${machine.node} (other work on the machine competes for the same cores).`,
    "",
    "| | figure | measured | target | met |",
    "| --- | --- | --- | --- | --- |",
    ...ids.flatMap((id) => rows.get(id) ?? []),
    "",
    "## What each figure measures",
    "",
    ...[...sections.keys()].sort(byId).flatMap((id) => [sections.get(id) ?? "", ""]),
  ].join("\n");
  writeFileSync(path, text);
}
