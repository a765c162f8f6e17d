import { execFile } from "node:child_process";
import { trackBuild } from "./buildsInFlight.ts";
import { kbuildCommand } from "./buildRoot.ts";
import { withCacheLock } from "./cacheLock.ts";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { cListingPath } from "../../shared/listings/listingFiles.ts";
import { DEFAULT_SERIES, seriesOf } from "../../shared/releases/kernelSeries.ts";
import { listingForRelease } from "../../shared/releases/releaseEdits.ts";
import { MODULES, type ModuleName, perModule, type Variant } from "../../shared/protocol/steps.ts";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
export const CACHE_DIR = process.env.REAL_KERNEL_CACHE ?? join(ROOT, ".cache/real-kernel");

const KBUILD = `obj-m := ${MODULES.map((m) => `${m}.o`).join(" ")}\n`;
const BUILD_TIMEOUT_MS = 120_000;

export type ModuleSources = Record<ModuleName, string>;

export type BuildResult =
  | {
      ok: true;
      dir: string;
      modules: Record<ModuleName, string>;
      /** What the compiler printed (warnings, if any) on the build that filled the cache. */
      output: string;
      cached: boolean;
      ms: number;
    }
  | { ok: false; output: string; ms: number };

/**
 * The C text built for a variant on a kernel release: each listing with that release's edits
 * (shared/releases/releaseEdits.ts). Without a release: the 6.1 port, the listings as shown.
 * `withEdits: false` builds the published text as written (loopback aside), so the release's
 * compiler says what it makes of it.
 */
export function sourcesFor(variant: Variant, release = DEFAULT_SERIES, withEdits = true): ModuleSources {
  const read = (module: ModuleName) => readFileSync(join(ROOT, cListingPath(variant, module)), "utf8");
  return perModule((m) => listingForRelease(variant, m, read(m), seriesOf(release), withEdits));
}

export function buildKey(sources: ModuleSources, release: string): string {
  const hash = createHash("sha256");
  hash.update(`${release}\0${KBUILD}\0`);
  for (const module of MODULES) hash.update(`${module}\0${sources[module]}\0`);
  return hash.digest("hex").slice(0, 16);
}

function make(buildDir: string, dir: string): Promise<{ code: number; output: string }> {
  // In the release's build root when its compiler is not here (7.x: trixie's gcc-14).
  const { file, args } = kbuildCommand(buildDir, ["-C", buildDir, `M=${dir}`, "modules"], [dir]);
  return new Promise((resolve) => {
    trackBuild(
      execFile(
        file,
        args,
        {
          timeout: BUILD_TIMEOUT_MS,
          maxBuffer: 4 * 1024 * 1024,
          env: { ...process.env, LC_ALL: "C" },
        },
        (error, stdout, stderr) => {
          const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
          resolve({ code, output: `${stdout}${stderr}` });
        },
      ),
    );
  });
}

/** The lines a learner needs: the compiler's diagnostics, without make's directory chatter. */
function compilerOutput(output: string): string {
  return output
    .split("\n")
    .filter((line) => !/^make(\[\d+\])?: (Entering|Leaving) directory/.test(line))
    .filter((line) => !/^\s+(CC|LD|MODPOST|BTF) \[?M?\]?/.test(line) && !line.startsWith("Skipping BTF"))
    .join("\n")
    .trim();
}

const inFlight = new Map<string, Promise<BuildResult>>();

/**
 * Builds a pair as out-of-tree modules with kbuild, into CACHE_DIR/<key>/. A finished build is
 * reused by every later session; concurrent requests for the same key share one make.
 */
export function buildPair(sources: ModuleSources, release: string, buildDir: string): Promise<BuildResult> {
  const key = buildKey(sources, release);
  const running = inFlight.get(key);
  if (running) return running;
  const promise = doBuild(key, sources, buildDir).finally(() => inFlight.delete(key));
  inFlight.set(key, promise);
  return promise;
}

async function doBuild(key: string, sources: ModuleSources, buildDir: string): Promise<BuildResult> {
  const started = Date.now();
  const dir = join(CACHE_DIR, key);
  const modules = perModule((m) => join(dir, `${m}.ko`));
  const cached = (): BuildResult | undefined => {
    if (!MODULES.every((m) => existsSync(modules[m]))) return undefined;
    const log = join(dir, "build.log");
    const output = existsSync(log) ? readFileSync(log, "utf8") : "";
    return { ok: true, dir, modules, output, cached: true, ms: Date.now() - started };
  };
  const hit = cached();
  if (hit) return hit;
  mkdirSync(CACHE_DIR, { recursive: true });
  // Another process may be building the same pair: it is waited for, not raced (cacheLock.ts).
  return withCacheLock(
    dir,
    async () => cached() ?? (await makePair(dir, modules, sources, buildDir, started)),
  );
}

async function makePair(
  dir: string,
  modules: Record<ModuleName, string>,
  sources: ModuleSources,
  buildDir: string,
  started: number,
): Promise<BuildResult> {
  // Built beside the final place and renamed in, so a half-built tree is never taken as cached.
  const work = `${dir}.tmp-${process.pid}-${Date.now()}`;
  mkdirSync(work, { recursive: true });
  writeFileSync(join(work, "Kbuild"), KBUILD);
  for (const module of MODULES) writeFileSync(join(work, `${module}.c`), sources[module]);
  const { code, output } = await make(buildDir, work);
  const shown = compilerOutput(output.replaceAll(`${work}/`, ""));
  if (code !== 0 || !MODULES.every((m) => existsSync(join(work, `${m}.ko`)))) {
    rmSync(work, { recursive: true, force: true });
    return { ok: false, output: shown || `make exited with ${code}`, ms: Date.now() - started };
  }
  writeFileSync(join(work, "build.log"), shown);
  // Under the lock, what stands at `dir` is no complete build (cached() said so): a leftover to
  // replace. A complete one is never removed, since a VM's initramfs may be packing from it.
  rmSync(dir, { recursive: true, force: true });
  renameSync(work, dir);
  return { ok: true, dir, modules, output: shown, cached: false, ms: Date.now() - started };
}
