/**
 * `npm run bench:learner-builds` (issue 22): a learner's edited pair built in the bubblewrap
 * sandbox against a plain kbuild of the same text, interleaved so both meet the same load; each
 * build gets a fresh comment, so no cache answers. Prints p50/p95 of both, the sandbox's overhead
 * and the builds per minute the one-at-a-time queue sustains. Then, with a VM booted and running
 * (warm), edit → build → module loaded through the app as a page does it (learner.build, then
 * module.load of that build, timed to the guest's "live"), p50/p95, and the builds per minute
 * sustained while the VM runs. Not part of `npm test`; boots a VM, so run it through the VM gate.
 *
 *   BENCH_BUILDS=5   builds of each kind
 *   BENCH_LOADS=5    warm edit → build → loaded rounds (0: skip the VM part)
 */
import { rmSync } from "node:fs";
import { loadavg } from "node:os";
import { detectRealKernel } from "../server/realKernel/availability.ts";
import { buildPair, sourcesFor } from "../server/realKernel/build.ts";
import { DEFAULT_LIMITS } from "../server/realKernel/sandboxArgs.ts";
import { sandboxedBuild } from "../server/realKernel/sandboxedBuild.ts";
import { percentile } from "./stats.ts";
import { startApp } from "../server/app.ts";
import { LabClient } from "../test/helpers/labClient.ts";

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

const loads = Number(process.env.BENCH_LOADS ?? 5);
if (loads > 0) {
  const app = await startApp({ port: 0, labPort: 0 });
  const lab = await LabClient.open(app.url);
  try {
    lab.send({ type: "engine.select", engine: "real-kernel" });
    lab.send({ type: "variant.select", variant: "fixed" });
    await lab.waitFor((e) => e.type === "engine" && e.status === "ready", 300_000);
    const total: number[] = [];
    const buildOnly: number[] = [];
    const loadOnly: number[] = [];
    for (let n = 0; n < loads; n++) {
      const buildId = n + 1;
      const started = performance.now();
      lab.send({ type: "learner.build", buildId, base: "fixed", sources: edited(2000 + n) });
      const built = await lab.waitFor(
        (e) =>
          e.type === "learner.build" &&
          e.buildId === buildId &&
          (e.status === "built" || e.status === "failed"),
        300_000,
      );
      if (built.type !== "learner.build" || built.status !== "built")
        throw new Error(`build ${buildId} failed`);
      const builtAt = performance.now();
      lab.send({ type: "module.load", module: "server", build: buildId });
      await lab.waitFor(
        (e) =>
          e.type === "module.state" &&
          e.module === "server" &&
          e.state === "live" &&
          e.learnerBuild === buildId,
        300_000,
      );
      const liveAt = performance.now();
      total.push(liveAt - started);
      buildOnly.push(builtAt - started);
      loadOnly.push(liveAt - builtAt);
      lab.send({ type: "module.unload", module: "server" });
      await lab.waitFor(
        (e) =>
          e.type === "module.state" &&
          e.module === "server" &&
          e.state === "unloaded" &&
          e.learnerBuild === buildId,
        300_000,
      );
      console.log(
        `round ${buildId}/${loads}: edit → loaded ${Math.round(liveAt - started)} ms (build ${Math.round(builtAt - started)}, send + insmod ${Math.round(liveAt - builtAt)}), load ${loadNow().toFixed(1)}`,
      );
    }
    console.log(
      [
        `warm VM, ${loads} rounds: edit → build → module loaded p50 ${p(total, 50)} ms, p95 ${p(total, 95)} ms`,
        `  of which the sandboxed build p50 ${p(buildOnly, 50)} ms, the .ko sent + insmod p50 ${p(loadOnly, 50)} ms, p95 ${p(loadOnly, 95)} ms`,
        `builds per minute with the VM running (one at a time): ${(60_000 / p(buildOnly, 50)).toFixed(1)}`,
      ].join("\n"),
    );
  } finally {
    await lab.close();
    await app.close();
  }
}
