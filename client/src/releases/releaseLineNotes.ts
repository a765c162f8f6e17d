import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import type { ModuleName, Variant } from "../../../shared/protocol/steps.ts";
import { DEFAULT_SERIES } from "../../../shared/releases/kernelSeries.ts";
import type { ApiChange } from "../../../shared/releases/releaseEdits.ts";
import { releaseLineChanges } from "../../../shared/releases/releaseListing.ts";
import type { LineNote } from "../listing/Listing.tsx";

type Link = { change: ApiChange; commits: readonly string[]; before: boolean };

/**
 * The notes on the lines the picked release builds otherwise than the lab's 6.1 port: the
 * published listing's line says what is built in its place, the fixed listing's line which change
 * wrote it, each with its commits. None on 6.1, whose port the real kernel's port diff shows.
 */
export function useReleaseLineNotes(
  variant: Variant,
  module: ModuleName,
  cText: string | undefined,
  series: string,
  edits: boolean,
): Readonly<Record<number, readonly LineNote[]>> | undefined {
  const { t } = useTranslation();
  return useMemo(() => {
    if (!cText || series === DEFAULT_SERIES) return undefined;
    const notes: Record<number, LineNote[]> = {};
    for (const { line, built, links } of releaseLineChanges(variant, module, cText, series, edits)) {
      // "6.10: 92ef0fd55ac8", or "before 5.8: …" for a line in the API a change replaced.
      const label = links
        .map((l: Link) =>
          l.before
            ? t("releases.lineNote.before", { since: l.change.since, commits: l.commits.join(", ") })
            : `${l.change.since}: ${l.commits.join(", ")}`,
        )
        .join("; ");
      const text =
        variant === "published"
          ? t("releases.lineNote.built", { series, text: built, changes: label })
          : t("releases.lineNote.edit", { series, changes: label });
      notes[line] = [{ text, kind: "note" }];
    }
    return notes;
  }, [t, variant, module, cText, series, edits]);
}
