import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import type { BundledListing } from "virtual:listings";
import type { Variant } from "../../../shared/protocol/steps.ts";
import { DEFAULT_SERIES } from "../../../shared/releases/kernelSeries.ts";
import type { LineNote } from "../listing/Listing.tsx";
import { releaseView } from "./releaseListing.ts";

/**
 * The notes on the lines the picked release builds otherwise than the lab's 6.1 port: the
 * published listing's line says what is built in its place, the fixed listing's line which change
 * wrote it, each with its edit's commits. None on 6.1, whose port the real kernel's port diff shows.
 */
export function useReleaseLineNotes(
  variant: Variant,
  listing: BundledListing | undefined,
  series: string,
  edits: boolean,
): Readonly<Record<number, readonly LineNote[]>> | undefined {
  const { t } = useTranslation();
  return useMemo(() => {
    const view = listing && series !== DEFAULT_SERIES ? releaseView(listing, series, edits) : undefined;
    if (!view || view.notes.length === 0) return undefined;
    const notes: Record<number, LineNote[]> = {};
    for (const { line, built, links } of view.notes) {
      // "6.10: 92ef0fd55ac8", or "before 5.8: …" for a line in the API a change replaced.
      const changes = links
        .map((l) =>
          l.before
            ? t("releases.lineNote.before", { since: l.since, commits: l.commits.join(", ") })
            : `${l.since}: ${l.commits.join(", ")}`,
        )
        .join("; ");
      const text =
        variant === "published"
          ? t("releases.lineNote.built", { series, text: built, changes })
          : t("releases.lineNote.edit", { series, changes });
      notes[line] = [{ text, kind: "note" }];
    }
    return notes;
  }, [t, variant, listing, series, edits]);
}
