import { VARIANTS, type Variant } from "../../shared/protocol/steps.ts";
import { INSTALL_COMMAND } from "./availability.ts";
import { buildPair, sourcesFor } from "./build.ts";
import { type KernelRelease, kernelRelease } from "./kernelReleases.ts";

/**
 * A release whose headers and kbuild are here but not its image (5.10 by default: the install
 * script unpacks its headers only, docs/kernel-releases.md). The lab builds both listings against
 * its real headers — gcc's own errors when the release's edits are off — and says it cannot boot it.
 */
export function buildOnlyRelease(name?: string): KernelRelease | undefined {
  const found = kernelRelease(name);
  return found && found.vmlinuz === undefined ? found : undefined;
}

/** What adds the image of a release unpacked headers-only (the script fetches only the image). */
export function imageInstallCommand(series: string): string {
  return `LAB_KERNELS=${series} ${INSTALL_COMMAND}`;
}

export type ListingsBuilt =
  | { ok: true; ms: number }
  | { ok: false; variant: Variant; output: string; ms: number };

/**
 * Both listings built for the release with kbuild, as the engine builds them before a boot (the
 * same cache: a pair built once is not built again). The first listing that fails is reported with
 * what the compiler printed.
 */
export async function buildBothListings(release: KernelRelease, edits: boolean): Promise<ListingsBuilt> {
  const started = Date.now();
  const built = await Promise.all(
    VARIANTS.map((variant) =>
      buildPair(sourcesFor(variant, release.release, edits), release.release, release.buildDir),
    ),
  );
  for (const [i, variant] of VARIANTS.entries()) {
    const result = built[i];
    if (result && !result.ok) return { ok: false, variant, output: result.output, ms: Date.now() - started };
  }
  return { ok: true, ms: Date.now() - started };
}
