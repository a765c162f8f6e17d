import listings from "virtual:listings";
import { portListing } from "../../../shared/content/realKernelPort.ts";
import type { ModuleName, Variant } from "../../../shared/protocol/steps.ts";
import { asDraft, type LearnerDraft } from "./draftShape.ts";

export type { LearnerDraft };

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
