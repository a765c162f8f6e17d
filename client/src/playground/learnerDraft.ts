import listings from "virtual:listings";
import { portListing } from "../../../shared/content/realKernelPort.ts";
import { MODULES, type ModuleName, VARIANTS, type Variant } from "../../../shared/protocol/steps.ts";

/**
 * The learner's own C: which listing it started from and the text of each module they changed (a
 * module not in `edits` is the listing's). Kept in the browser: it survives a reload.
 */
export type LearnerDraft = { base: Variant; edits: Partial<Record<ModuleName, string>> };

const STORAGE_KEY = "ksl.playground.v1";

export const EMPTY_DRAFT: LearnerDraft = { base: "fixed", edits: {} };

/** The text the editor starts from: the fixed listing, or the published one as the lab ports it to 6.1. */
export function startingText(base: Variant, module: ModuleName): string {
  const text = listings[base]?.[module]?.cText ?? "";
  return base === "published" && text ? portListing(module, text) : text;
}

export function draftText(draft: LearnerDraft, module: ModuleName): string {
  return draft.edits[module] ?? startingText(draft.base, module);
}

export function isEdited(draft: LearnerDraft, module: ModuleName): boolean {
  const edit = draft.edits[module];
  return edit !== undefined && edit !== startingText(draft.base, module);
}

/** A draft read from anywhere (storage, a run file, a link) is checked, never trusted. */
export function asDraft(value: unknown): LearnerDraft | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const { base, edits } = value as { base?: unknown; edits?: unknown };
  if (!VARIANTS.includes(base as Variant)) return undefined;
  const checked: LearnerDraft["edits"] = {};
  if (typeof edits === "object" && edits !== null) {
    for (const module of MODULES) {
      const text = (edits as Record<string, unknown>)[module];
      if (typeof text === "string") checked[module] = text;
    }
  }
  return { base: base as Variant, edits: checked };
}

export function loadDraft(): LearnerDraft {
  try {
    const stored = localStorage.getItem(STORAGE_KEY);
    return (stored && asDraft(JSON.parse(stored))) || EMPTY_DRAFT;
  } catch {
    return EMPTY_DRAFT;
  }
}

export function saveDraft(draft: LearnerDraft): void {
  try {
    localStorage.setItem(STORAGE_KEY, JSON.stringify(draft));
  } catch {
    // A full or disabled storage keeps the draft for this page only.
  }
}
