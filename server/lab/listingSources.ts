import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { cListingPath, tsModulePath } from "../../shared/listings/listingFiles.ts";
import { deriveStepLines, type StepLineMap } from "../../shared/listings/stepLines.ts";
import { MODULES, type ModuleName, VARIANTS, type Variant } from "../../shared/protocol/steps.ts";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

export type ListingSource = { cText: string; tsText: string; map: StepLineMap };
export type ListingSet = Partial<Record<Variant, Record<ModuleName, ListingSource>>>;

function readIfPresent(relative: string): string | undefined {
  const path = ROOT + relative;
  return existsSync(path) ? readFileSync(path, "utf8") : undefined;
}

/**
 * Reads every listing pair once and derives its step map. A variant is available when both its
 * modules have both sources; a mapping error stops start-up, since a wrong highlight would teach
 * something false.
 */
export function loadListings(): ListingSet {
  const set: ListingSet = {};
  for (const variant of VARIANTS) {
    const pairs: Partial<Record<ModuleName, ListingSource>> = {};
    for (const module of MODULES) {
      const cText = readIfPresent(cListingPath(variant, module));
      const tsText = readIfPresent(tsModulePath(variant, module));
      if (cText === undefined || tsText === undefined) continue;
      pairs[module] = { cText, tsText, map: deriveStepLines(variant, module, cText, tsText) };
    }
    if (pairs.server && pairs.client) set[variant] = { server: pairs.server, client: pairs.client };
  }
  return set;
}

let cached: ListingSet | undefined;
export function listings(): ListingSet {
  cached ??= loadListings();
  return cached;
}
