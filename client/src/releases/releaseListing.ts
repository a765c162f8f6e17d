import type { BundledListing } from "virtual:listings";
import { codeLines } from "../../../shared/listings/highlightedCode.ts";
import { deriveStepLines } from "../../../shared/listings/stepLines.ts";
import type { ModuleName, Variant } from "../../../shared/protocol/steps.ts";
import { shownListingText } from "../../../shared/releases/releaseListing.ts";

/** One object per listing and release, so the panes' memoised maps and notes keep their identity. */
const cache = new Map<string, BundledListing>();

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
  const cText = shownListingText(variant, module, listing.cText, series, edits);
  if (cText === listing.cText) return listing;
  const key = `${variant} ${module} ${cText}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const base = codeLines(listing.cText);
  const lines = codeLines(cText).map((line, i) =>
    line === base[i]
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
