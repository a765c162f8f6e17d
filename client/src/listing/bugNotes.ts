import type { LocatedBug, locateBugs } from "../../../shared/content/listingBugs.ts";
import type { ModuleName, Variant } from "../../../shared/protocol/steps.ts";
import type { Language } from "../i18n/i18n.ts";
import type { LineNote } from "./Listing.tsx";

export type ListingBugNotes = {
  bugs: readonly LocatedBug[];
  /** line → its bug notes, for the C listing; kept apart from other notes until merged. */
  notes: Readonly<Record<number, readonly LineNote[]>>;
};

const NONE: ListingBugNotes = { bugs: [], notes: {} };
/** One result per listing text and wording, so the listing's memoised notes keep their identity across renders. */
const cache = new Map<string, { cText: string; prefix: string; result: ListingBugNotes }>();

/**
 * The published listing's bugs in one module, with their lines; the fixed listing has none marked.
 * Each note reads `prefix` and the bug's title in `language` ("Bug: ", "缺陷："). The bugs' texts
 * come with the lesson's kernel texts, after the first paint (`locate`, from useKernelContent.ts).
 */
export function bugNotesFor(
  locate: typeof locateBugs,
  variant: Variant,
  module: ModuleName,
  cText: string,
  language: Language,
  prefix: string,
): ListingBugNotes {
  if (variant !== "published") return NONE;
  const key = `${module} ${language}`;
  const hit = cache.get(key);
  if (hit?.cText === cText && hit.prefix === prefix) return hit.result;
  const bugs = locate(cText, module);
  const notes: Record<number, LineNote[]> = {};
  for (const { line, bug } of bugs)
    notes[line] = [...(notes[line] ?? []), { text: `${prefix}${bug.title[language]}`, kind: "bug" }];
  const result = { bugs, notes };
  cache.set(key, { cText, prefix, result });
  return result;
}

/** Two line → notes maps as one, each line's notes in order: a's, then b's. */
export function mergeNotes(
  a: Readonly<Record<number, readonly LineNote[]>>,
  b: Readonly<Record<number, readonly LineNote[]>> | undefined,
): Record<number, readonly LineNote[]> {
  const merged: Record<number, readonly LineNote[]> = { ...a };
  for (const [line, notes] of Object.entries(b ?? {}))
    merged[Number(line)] = [...(merged[Number(line)] ?? []), ...notes];
  return merged;
}
