import { MODULES, type ModuleName, VARIANTS, type Variant } from "../../../shared/protocol/steps.ts";

/**
 * The learner's own C: which listing it started from and the text of each module they changed (a
 * module not in `edits` is the listing's). Kept in the browser: it survives a reload.
 */
export type LearnerDraft = { base: Variant; edits: Partial<Record<ModuleName, string>> };

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
