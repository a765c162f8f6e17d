/**
 * `npm run bench:learner-builds` (issue 22): a learner's edited pair built in the bubblewrap
 * sandbox against a plain kbuild of the same text, interleaved so both meet the same load; each
 * build gets a fresh comment, so no cache answers. Prints p50/p95 of both, the sandbox's overhead
 * and the builds per minute the one-at-a-time queue sustains. Not part of `npm test`.
 *
 *   BENCH_BUILDS=5   builds of each kind
 */
import { rmSync } from "node:fs";
import { loadavg } from "node:os";
import { detectRealKernel } from "../server/realKernel/availability.ts";
import { buildPair, sourcesFor } from "../server/realKernel/build.ts";
import { DEFAULT_LIMITS } from "../server/realKernel/sandboxArgs.ts";
import { sandboxedBuild } from "../server/realKernel/sandboxedBuild.ts";
import { percentile } from "./stats.ts";

const availability = detectRealKernel();
if (!availability.ok)
  throw new Error(`the real-kernel packages are missing: ${availability.missing.join(", ")}`);
const { buildDir, release } = availability.tools;
const runs = Number(process.env.BENCH_BUILDS ?? 5);
// The learner's edit: the fixed server's printk text changed, different on every build.
const edited = (n: number) => {
  const fixed = sourcesFor("fixed");
  return { ...fixed, server: fixed.server.replace("server init", `server init (edit ${Date.now()}-${n})`) };
};

const sandboxed: number[] = [];
const plain: number[] = [];
const loadNow = () => loadavg()[0] ?? 0;
const load = [loadNow()];
for (let n = 0; n < runs; n++) {
  const a = await sandboxedBuild(edited(n), buildDir, { ...DEFAULT_LIMITS, wallMs: 300_000 });
  if (!a.ok) throw new Error(`sandboxed build failed: ${a.log}`);
  sandboxed.push(a.ms);
  rmSync(a.modules.server, { force: true });
  const b = await buildPair(edited(n + 1000), release, buildDir);
  // build.ts gives make 120 s: on a machine loaded past that, the sample is lost, not the run.
  if (b.ok) {
    plain.push(b.ms);
    rmSync(b.dir, { recursive: true, force: true });
  } else console.log(`plain build ${n + 1} failed after ${b.ms} ms: ${b.output.slice(0, 200)}`);
  load.push(loadNow());
  console.log(
    `build ${n + 1}/${runs}: sandboxed ${a.ms} ms, plain ${b.ok ? b.ms : "—"} ms, load ${loadNow().toFixed(1)}`,
  );
}
const p = (xs: number[], q: number) => Math.round(percentile(xs, q));
const overhead = p(sandboxed, 50) - p(plain, 50);
console.log(
  [
    `kernel ${release}, ${runs} builds of each kind, 1-minute load average ${Math.min(...load).toFixed(1)}–${Math.max(...load).toFixed(1)}`,
    `sandboxed (bwrap, W=1, JSON diagnostics): p50 ${p(sandboxed, 50)} ms, p95 ${p(sandboxed, 95)} ms`,
    `plain kbuild (build.ts, no W=1):          p50 ${p(plain, 50)} ms, p95 ${p(plain, 95)} ms`,
    `sandbox overhead at p50: ${overhead} ms (${((100 * overhead) / p(plain, 50)).toFixed(0)} %)`,
    `builds per minute, one at a time (the queue's default): ${(60_000 / p(sandboxed, 50)).toFixed(1)}`,
  ].join("\n"),
);
