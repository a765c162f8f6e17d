import { describe, expect, it } from "vitest";
import type { BundledListing } from "virtual:listings";
import { listingsPlugin } from "../build/listingsPlugin.ts";
import { listingAtRelease } from "../client/src/releases/releaseListing.ts";
import { MODULES, VARIANTS } from "../shared/protocol/steps.ts";
import { KERNEL_SERIES } from "../shared/releases/kernelSeries.ts";
import { shownListingText } from "../shared/releases/releaseListing.ts";

/** The module the page imports, as the build makes it. */
function bundled(): Record<string, Record<string, BundledListing>> {
  const plugin = listingsPlugin();
  const load = plugin.load as unknown as (this: { addWatchFile(f: string): void }, id: string) => string;
  const code = load.call({ addWatchFile: () => {} }, "\0virtual:listings");
  return JSON.parse(code.replace(/^export default /, "").replace(/;$/, ""));
}

describe("the page's listing for a release, from what the build bundles", () => {
  it("is the shared text for every release, both listings, edits on and off, with every changed line highlighted", () => {
    const set = bundled();
    for (const variant of VARIANTS)
      for (const module of MODULES) {
        const listing = set[variant]?.[module];
        if (!listing) throw new Error(`no ${variant} ${module}`);
        for (const { name } of KERNEL_SERIES)
          for (const edits of [true, false]) {
            const shown = listingAtRelease(listing, variant, module, name, edits);
            expect(shown.cText).toBe(shownListingText(variant, module, listing.cText, name, edits));
            // -1 would be the plain fallback: every line a release writes otherwise was highlighted at build time.
            for (const pairs of shown.highlight.c.lines) expect(pairs[0]).not.toBe(-1);
          }
      }
  });
});
