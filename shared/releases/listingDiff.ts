import type { ModuleName, Variant } from "../protocol/steps.ts";
import { type ApiChange, changesBetween } from "./releaseEdits.ts";

export type DiffLine = {
  kind: "same" | "removed" | "added";
  text: string;
  oldLine?: number;
  newLine?: number;
};

/** A run of changed lines, with the API changes (and so the commits) whose edits made it. */
export type DiffHunk = { lines: DiffLine[]; changes: ApiChange[] };

/** A line diff by longest common subsequence: the listings are ~130 lines, so O(n·m) is nothing. */
export function diffLines(before: string, after: string): DiffLine[] {
  const a = before.split("\n");
  const b = after.split("\n");
  const lcs: number[][] = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--)
    for (let j = b.length - 1; j >= 0; j--)
      lcs[i]![j] = a[i] === b[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
  const out: DiffLine[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      out.push({ kind: "same", text: a[i]!, oldLine: i + 1, newLine: j + 1 });
      i++;
      j++;
    } else if (i < a.length && (j === b.length || lcs[i + 1]![j]! >= lcs[i]![j + 1]!)) {
      // Removed lines before the added ones that replace them, as diff -u shows them.
      out.push({ kind: "removed", text: a[i]!, oldLine: i + 1 });
      i++;
    } else {
      out.push({ kind: "added", text: b[j]!, newLine: j + 1 });
      j++;
    }
  }
  return out;
}

/**
 * The hunks between one listing as built for release `from` and for release `to`, each with the
 * changes between the two releases whose edits touch its lines (a line may carry two: the
 * published accept call went through 4.11 and 6.10).
 */
export function releaseDiff(
  variant: Variant,
  module: ModuleName,
  before: string,
  after: string,
  from: string,
  to: string,
): DiffHunk[] {
  const lines = diffLines(before, after);
  const between = changesBetween(from, to);
  const hunks: DiffHunk[] = [];
  let current: DiffLine[] = [];
  const flush = () => {
    if (current.length === 0) return;
    const changed = current.map((l) => l.text);
    const changes = between.filter((c) =>
      c.edits.some(
        (e) =>
          e.variant === variant &&
          e.module === module &&
          changed.some((t) => t.includes(e.to) || t.includes(e.from)),
      ),
    );
    hunks.push({ lines: current, changes });
    current = [];
  };
  for (const line of lines) {
    if (line.kind === "same") flush();
    else current.push(line);
  }
  flush();
  return hunks;
}
