import type { BundledListing, ReleaseView } from "virtual:listings";
import { codeLines } from "../../../shared/listings/highlightedCode.ts";
import { deriveStepLines } from "../../../shared/listings/stepLines.ts";
import type { ModuleName, Variant } from "../../../shared/protocol/steps.ts";

/** One object per listing and release, so the panes' memoised maps and notes keep their identity. */
const cache = new Map<string, BundledListing>();

/** What the build worked out for a release (build/listingsPlugin.ts); undefined: as bundled. */
export function releaseView(
  listing: BundledListing,
  series: string,
  edits: boolean,
): ReleaseView | undefined {
  return listing.releases[`${series} ${edits ? "on" : "off"}`];
}

/**
 * The bundled listing as the picked release shows it (shared/releases/releaseListing.ts): its C
 * text, its step ↔ line map derived from that text's markers by the same code the build uses, and
 * its highlighting from the bundled lines plus the few the release writes otherwise.
 */
export function listingAtRelease(
  listing: BundledListing,
  variant: Variant,
  module: ModuleName,
  series: string,
  edits: boolean,
): BundledListing {
  const view = releaseView(listing, series, edits);
  if (!view || Object.keys(view.lines).length === 0) return listing;
  const key = `${variant} ${module} ${series} ${edits}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const texts = codeLines(listing.cText).map((line, i) => view.lines[i + 1] ?? line);
  const cText = texts.join("\n") + (listing.cText.endsWith("\n") ? "\n" : "");
  const lines = texts.map((line, i) =>
    view.lines[i + 1] === undefined
      ? (listing.highlight.c.lines[i] ?? [])
      : (listing.releaseLines[line] ?? [-1, line.length]),
  );
  const shown: BundledListing = {
    ...listing,
    cText,
    map: deriveStepLines(variant, module, cText, listing.tsText),
    highlight: { ...listing.highlight, c: { kinds: listing.highlight.c.kinds, lines } },
  };
  cache.set(key, shown);
  return shown;
}
