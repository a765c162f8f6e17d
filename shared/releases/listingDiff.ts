import type { ModuleName, Variant } from "../protocol/steps.ts";
import { compareReleases } from "./kernelSeries.ts";
import { API_CHANGES, type ApiChange, changesBetween, LAB_RULE, type ListingEdit } from "./releaseEdits.ts";

export type DiffLine = {
  kind: "same" | "removed" | "added";
  text: string;
  oldLine?: number;
  newLine?: number;
};

/** A change as one hunk names it: the commits of the edits that made the hunk (6.19's are per call). */
export type HunkLink = { change: ApiChange; commits: readonly string[] };

/** A run of changed lines, with the API changes (and so the commits) whose edits made it. */
export type DiffHunk = { lines: DiffLine[]; changes: ApiChange[]; links: HunkLink[] };

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
    const touches = (e: ListingEdit) =>
      e.variant === variant &&
      e.module === module &&
      changed.some((t) => t.includes(e.to) || t.includes(e.from));
    const changes = between.filter((c) => c.edits.some(touches));
    const links = changes.map((change) => {
      const own = change.edits.filter(touches).flatMap((e) => e.commits ?? change.commits);
      return { change, commits: [...new Set(own)] };
    });
    hunks.push({ lines: current, changes, links });
    current = [];
  };
  for (const line of lines) {
    if (line.kind === "same") flush();
    else current.push(line);
  }
  flush();
  return hunks;
}

/**
 * The changes this listing already has on both sides of a diff between two releases (those up to
 * the older one): no hunk shows them, so the diff view names them. 4.2 → 6.19 of the published
 * listing: sock_create_kern's struct net * (eeb1bd5c40ed) is already in 4.2.
 */
export function changesAlreadyIn(variant: Variant, module: ModuleName, a: string, b: string): ApiChange[] {
  const older = compareReleases(a, b) <= 0 ? a : b;
  return API_CHANGES.filter(
    (c) =>
      c.since !== LAB_RULE &&
      compareReleases(c.since, older) <= 0 &&
      c.edits.some((e) => e.variant === variant && e.module === module),
  );
}
