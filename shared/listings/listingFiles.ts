import type { ModuleName, Variant } from "../protocol/steps.ts";

/**
 * Where each listing's two sources live, relative to the repository root. The server reads them at
 * start-up and the client's build bundles them, so both show and map the very same files.
 */
export function cListingPath(variant: Variant, module: ModuleName): string {
  return `shared/listings/${variant}/${module}.c`;
}

export function tsModulePath(variant: Variant, module: ModuleName): string {
  return `server/lab/${variant}/${module}Module.ts`;
}
