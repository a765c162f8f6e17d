import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import {
  chmodSync,
  chownSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { BuildDiagnostic } from "../../shared/protocol/learnerBuildMessages.ts";
import type { LEARNER_BUILD_LIMITS } from "../../shared/protocol/learnerBuildMessages.ts";
import { MODULES, type ModuleName, perModule } from "../../shared/protocol/steps.ts";
import type { ModuleSources } from "./build.ts";
import { CACHE_DIR } from "./build.ts";
import { evictLearnerBuilds, touchLearnerBuild } from "./learnerBuildCache.ts";
import { diagnosticLine, parseBuildOutput } from "./gccDiagnostics.ts";
import { DEFAULT_LIMITS, type SandboxLimits, sandboxArgs } from "./sandboxArgs.ts";

export type LimitName = (typeof LEARNER_BUILD_LIMITS)[number];

export type SandboxedBuildResult =
  | { ok: true; modules: Record<ModuleName, string>; diagnostics: BuildDiagnostic[]; log: string; ms: number }
  | {
      ok: false;
      failure: "compile" | "limit" | "unavailable";
      limit?: LimitName;
      diagnostics: BuildDiagnostic[];
      log: string;
      ms: number;
    };

/** The unprivileged user the sandbox runs as when the server is root: RLIMIT_NPROC spares uid 0. */
const SANDBOX_UID = 65534;
const KBUILD = `obj-m := ${MODULES.map((m) => `${m}.o`).join(" ")}\n`;

export function learnerBuildKey(sources: ModuleSources, buildDir: string): string {
  const hash = createHash("sha256");
  hash.update(`sandbox\0${buildDir}\0${KBUILD}\0`);
  for (const module of MODULES) hash.update(`${module}\0${sources[module]}\0`);
  return hash.digest("hex").slice(0, 16);
}

type RunOutcome = { code: number | null; output: string; overflowed: boolean; ms: number };

/** Runs the sandbox under `timeout`, reading at most `outputBytes` of what it prints. */
function runSandbox(args: string[], limits: SandboxLimits): Promise<RunOutcome> {
  const started = Date.now();
  const wallSeconds = Math.max(1, Math.round(limits.wallMs / 1000));
  const drop =
    process.getuid?.() === 0
      ? ["setpriv", `--reuid=${SANDBOX_UID}`, `--regid=${SANDBOX_UID}`, "--clear-groups"]
      : [];
  return new Promise((resolve) => {
    const child = spawn("timeout", ["-k", "2", String(wallSeconds), ...drop, "bwrap", ...args], {
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
      env: { PATH: "/usr/bin:/bin", LC_ALL: "C" },
    });
    const chunks: Buffer[] = [];
    let size = 0;
    let overflowed = false;
    const take = (chunk: Buffer) => {
      if (overflowed) return;
      size += chunk.length;
      chunks.push(chunk);
      if (size > limits.outputBytes) {
        overflowed = true;
        killGroup(child.pid);
      }
    };
    child.stdout.on("data", take);
    child.stderr.on("data", take);
    child.on("error", () => undefined);
    child.on("close", (code) => {
      const output = Buffer.concat(chunks).subarray(0, limits.outputBytes).toString("utf8");
      resolve({ code, output, overflowed, ms: Date.now() - started });
    });
  });
}

function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, "SIGKILL");
  } catch {
    // already gone
  }
}

/** Which cap ended the build, read from how it ended and the words the tools died with. */
function limitHit(outcome: RunOutcome): LimitName | undefined {
  if (outcome.overflowed) return "output";
  if (outcome.code === 124 || outcome.code === 137) return "wall-time";
  const text = outcome.output;
  if (/CPU time limit exceeded|Error 152\b|killed by signal 24/i.test(text)) return "cpu-time";
  if (/File size limit exceeded|Error 153\b|No space left on device/i.test(text)) return "file-size";
  if (/out of memory|memory exhausted|Cannot allocate memory/i.test(text)) return "memory";
  if (/Cannot fork|Resource temporarily unavailable/i.test(text)) return "processes";
  return undefined;
}

function prepareDirs(sources: ModuleSources): { root: string; inDir: string; outDir: string } {
  const root = mkdtempSync(join(tmpdir(), "learner-build-"));
  // The sandbox's user must reach /in and write /out; nobody else on the host needs to.
  chmodSync(root, 0o711);
  const inDir = join(root, "in");
  const outDir = join(root, "out");
  mkdirSync(inDir, { mode: 0o755 });
  mkdirSync(outDir, { mode: 0o700 });
  if (process.getuid?.() === 0) chownSync(outDir, SANDBOX_UID, SANDBOX_UID);
  writeFileSync(join(inDir, "Kbuild"), KBUILD, { mode: 0o644 });
  for (const module of MODULES) writeFileSync(join(inDir, `${module}.c`), sources[module], { mode: 0o644 });
  return { root, inDir, outDir };
}

/**
 * Builds a learner's pair with the lab's Makefile, W=1, inside bubblewrap, against the kbuild tree
 * `buildDir` (a parameter, so a build for another kernel release only passes another tree). The
 * two .ko files land in CACHE_DIR/learner-<key>/; nothing else leaves the sandbox.
 */
export async function sandboxedBuild(
  sources: ModuleSources,
  buildDir: string,
  limits: SandboxLimits = DEFAULT_LIMITS,
): Promise<SandboxedBuildResult> {
  const started = Date.now();
  const key = learnerBuildKey(sources, buildDir);
  const finalDir = join(CACHE_DIR, `learner-${key}`);
  const modules = perModule((m) => join(finalDir, `${m}.ko`));
  let dirs: ReturnType<typeof prepareDirs>;
  let args: string[];
  try {
    dirs = prepareDirs(sources);
    args = sandboxArgs(buildDir, dirs.inDir, dirs.outDir, limits);
  } catch (error) {
    const log = `the sandbox could not be prepared: ${(error as Error).message}`;
    return { ok: false, failure: "unavailable", diagnostics: [], log, ms: Date.now() - started };
  }
  try {
    const outcome = await runSandbox(args, limits);
    const { diagnostics, otherLines } = parseBuildOutput(outcome.output);
    const log = [...diagnostics.map(diagnosticLine), ...otherLines].join("\n");
    const limit = limitHit(outcome);
    const built = MODULES.every((m) => existsSync(join(dirs.outDir, `${m}.ko`)));
    if (outcome.code === 0 && built) {
      // Copied, not renamed: the cache and the temporary dir may be on different filesystems.
      mkdirSync(finalDir, { recursive: true });
      for (const m of MODULES) copyFileSync(join(dirs.outDir, `${m}.ko`), modules[m]);
      touchLearnerBuild(finalDir);
      evictLearnerBuilds(CACHE_DIR, finalDir);
      return { ok: true, modules, diagnostics, log, ms: outcome.ms };
    }
    if (limit) return { ok: false, failure: "limit", limit, diagnostics, log, ms: outcome.ms };
    return {
      ok: false,
      failure: "compile",
      diagnostics,
      log: log || `make exited with ${outcome.code}`,
      ms: outcome.ms,
    };
  } finally {
    rmSync(dirs.root, { recursive: true, force: true });
  }
}
