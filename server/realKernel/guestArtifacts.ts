import { MODULES, type ModuleName, VARIANTS, type Variant } from "../../shared/protocol/steps.ts";
import { type RealKernelTools, realKernelAvailability } from "./availability.ts";
import { buildPair, sourcesFor } from "./build.ts";
import { buildInitramfs } from "./guestInit.ts";
import { type LineTable, lineTableFor } from "./moduleLineTable.ts";

/** Everything a VM boots with, built once per process: both pairs, their line tables, the initramfs. */
export type GuestArtifacts =
  | {
      ok: true;
      initramfs: string;
      modules: Record<Variant, Record<ModuleName, string>>;
      lineTables: Record<Variant, Record<ModuleName, LineTable>>;
      ms: number;
    }
  | { ok: false; variant: Variant; output: string };

/** Per kernel release: a learner on 6.12 never waits for, nor replaces, the 6.1 build. */
const preparing = new Map<string, Promise<GuestArtifacts>>();
const finished = new Set<string>();

async function prepare(tools: RealKernelTools, edits: boolean): Promise<GuestArtifacts> {
  const started = Date.now();
  const modules: Partial<Record<Variant, Record<ModuleName, string>>> = {};
  const lineTables: Partial<Record<Variant, Record<ModuleName, LineTable>>> = {};
  // Both pairs at once: kbuild is mostly waiting on one gcc at a time.
  const built = await Promise.all(
    VARIANTS.map((variant) =>
      buildPair(sourcesFor(variant, tools.release, edits), tools.release, tools.buildDir),
    ),
  );
  for (const [i, variant] of VARIANTS.entries()) {
    const result = built[i];
    if (!result?.ok) return { ok: false, variant, output: result?.output ?? "" };
    modules[variant] = result.modules;
    const tables = await Promise.all(MODULES.map((m) => lineTableFor(result.modules[m], `${m}.c`)));
    lineTables[variant] = Object.fromEntries(MODULES.map((m, j) => [m, tables[j]])) as Record<
      ModuleName,
      LineTable
    >;
  }
  const all = modules as Record<Variant, Record<ModuleName, string>>;
  const initramfs = await buildInitramfs(tools.busybox, all);
  return {
    ok: true,
    initramfs,
    modules: all,
    lineTables: lineTables as Record<Variant, Record<ModuleName, LineTable>>,
    ms: Date.now() - started,
  };
}

/**
 * The guest's artifacts for this kernel release: one build shared by every session (a failed one
 * is tried again by the next caller, the learner may have fixed the cause).
 */
export function guestArtifacts(tools: RealKernelTools, edits = true): Promise<GuestArtifacts> {
  const release = artifactsKey(tools.release, edits);
  const held = preparing.get(release);
  if (held) return held;
  finished.delete(release);
  const promise = prepare(tools, edits).then(
    (artifacts) => {
      finished.add(release);
      if (!artifacts.ok) preparing.delete(release);
      return artifacts;
    },
    (err: unknown) => {
      preparing.delete(release);
      throw err;
    },
  );
  preparing.set(release, promise);
  return promise;
}

/** Whether the artifacts for this release are built (no session has to wait for kbuild). */
export function guestArtifactsReady(release: string, edits = true): boolean {
  const key = artifactsKey(release, edits);
  return finished.has(key) && preparing.has(key);
}

/** A release's artifacts, with or without its edits (the learner may build the listings as written). */
function artifactsKey(release: string, edits: boolean): string {
  return edits ? release : `${release} as written`;
}

/**
 * Called when the app starts: builds both pairs in the background so the first learner who picks
 * "Real kernel" waits for no kbuild. Does nothing where the engine is not installed.
 */
export function prepareGuestInBackground(): Promise<unknown> {
  const availability = realKernelAvailability();
  if (!availability.ok) return Promise.resolve();
  // A failed build is tried again by the first learner who picks the real kernel.
  return guestArtifacts(availability.tools).catch(() => {});
}
