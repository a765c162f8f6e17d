import { type LocatedBug, locateBugs } from "../../shared/listingBugs.ts";
import type { ModuleName, Variant } from "../../shared/steps.ts";
import type { LineNote } from "./Listing.tsx";

export type ListingBugNotes = {
  bugs: readonly LocatedBug[];
  /** line → its bug notes, for the C listing; kept apart from other notes until merged. */
  notes: Readonly<Record<number, readonly LineNote[]>>;
};

const NONE: ListingBugNotes = { bugs: [], notes: {} };
/** One result per listing text, so the listing's memoised notes keep their identity across renders. */
const cache = new Map<string, { cText: string; result: ListingBugNotes }>();

/** The published listing's bugs in one module, with their lines; the fixed listing has none marked. */
export function bugNotesFor(variant: Variant, module: ModuleName, cText: string): ListingBugNotes {
  if (variant !== "published") return NONE;
  const hit = cache.get(module);
  if (hit?.cText === cText) return hit.result;
  const bugs = locateBugs(cText, module);
  const notes: Record<number, LineNote[]> = {};
  for (const { line, bug } of bugs) notes[line] = [...(notes[line] ?? []), { text: `Bug: ${bug.title}`, kind: "bug" }];
  const result = { bugs, notes };
  cache.set(module, { cText, result });
  return result;
}

/** Two line → notes maps as one, each line's notes in order: a's, then b's. */
export function mergeNotes(
  a: Readonly<Record<number, readonly LineNote[]>>,
  b: Readonly<Record<number, readonly LineNote[]>> | undefined,
): Record<number, readonly LineNote[]> {
  const merged: Record<number, readonly LineNote[]> = { ...a };
  for (const [line, notes] of Object.entries(b ?? {})) merged[Number(line)] = [...(merged[Number(line)] ?? []), ...notes];
  return merged;
}
