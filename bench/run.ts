/**
 * `npm run bench`: the lab measured against its targets (issue 7). Prints a table and writes it,
 * with the machine it ran on, to bench/results.md. Not part of `npm test`: the figures depend on
 * the machine and belong in a report, not in a pass/fail gate.
 *
 *   npm run bench -- P1 P3   run some figure groups (or BENCH_ONLY=P1,P3); the others keep their
 *                            rows in bench/results.md
 *   BENCH_SECONDS=20      seconds per classroom level (P3)
 *   BENCH_THINK_MS=500    mean pause between a classroom learner's clicks (P3); 0 = flat out
 *   BENCH_CAPACITY_SECONDS=10  one more flat-out run (P3 capacity); 0 = skip
 *   BENCH_CAPACITY_LEVEL=500   the sessions of that run
 *   BENCH_CLICKS=200      measured clicks (P2)
 *   BENCH_LESSONS=10,100,500  P8's checkpoints: lessons run in one tab before each measurement
 *   BENCH_PROFILE=dir     each app child (P2–P4) writes a V8 CPU profile into dir
 *   BENCH_STEP_ROUNDS=17  P7: runs of the fixed pair in step mode, in one VM (6 measured Step presses each)
 *   BENCH_PORT=4350       first of the ports the bench's app instances listen on (uses 6)
 *   BENCH_REAL_COLD=2 BENCH_REAL_WARM=20 BENCH_REAL_CONTENDED=5   runs of each P5 case
 *   BENCH_REAL_LEVELS=2,4 BENCH_REAL_SECONDS=20   P6: concurrent real-kernel sessions, seconds per level
 *   BENCH_P9_SECONDS=60   seconds per hostile-load row (P9: none, 50 non-reading sessions, 10,000 half-open, 64 KiB frames)
 *   BENCH_P9_ROWS=none,frames   only these P9 rows
 *   BENCH_P3_LEVELS=100,250,500,1000,2000  P3's classroom sizes
 *   BENCH_P11_STEPS=33000 step events in P11's run file (33,000 fill just under 5 MiB)
 *   BENCH_P10_LESSONS=40  lessons with the System calls view open and closed (P10)
 *   BENCH_TRACE_ROUNDS=5  P12: fixed-pair runs per VM, untraced, traced without the call view, traced (two VMs each)
 *   BENCH_APP_ROOT=dir    run the app children from another checkout (a before figure on older code)
 */
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { type Browser, chromium } from "@playwright/test";
import playwrightConfig from "../playwright.config.ts";
import { bigRunFileBench } from "./bigRunFile.ts";
import { classroom } from "./classroom.ts";
import { clickToHighlight } from "./clickToHighlight.ts";
import { firstLoad } from "./firstLoad.ts";
import { hostileLoad } from "./hostileLoad.ts";
import { longSession } from "./longSession.ts";
import { UNTHROTTLED_ENV, UNTHROTTLED_OPTIONS } from "./limits.ts";
import { describeMachine, loadAverage } from "./machine.ts";
import { pipelineOverhead } from "./pipelineOverhead.ts";
import { realKernelConcurrency, realKernelStartup } from "./realKernel.ts";
import { realKernelStep } from "./realKernelStep.ts";
import { realKernelTracing } from "./realKernelTracing.ts";
import { type BenchResult, plainTable, writeResults } from "./results.ts";
import { syscallView } from "./syscallView.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const ALL = "P1,P2,P3,P4,P5,P6,P7,P8,P9,P10,P11,P12";
const chosen = process.argv.slice(2).join(",") || process.env.BENCH_ONLY || ALL;
const only = new Set(chosen.split(",").map((s) => s.trim().toUpperCase()));
const seconds = Number(process.env.BENCH_SECONDS ?? 20);
const thinkMs = Number(process.env.BENCH_THINK_MS ?? 500);
const capacitySeconds = Number(process.env.BENCH_CAPACITY_SECONDS ?? 10);
const clicks = Number(process.env.BENCH_CLICKS ?? 200);
const basePort = Number(process.env.BENCH_PORT ?? 4350);
const lessonCheckpoints = (process.env.BENCH_LESSONS ?? "10,100,500").split(",").map(Number);
const distDir = `${ROOT}dist/bench`;

const started = new Date();
const machine = describeMachine();
const loadBefore = loadAverage();
console.log(
  `bench on ${machine.cpu}, ${machine.cores} cores, Node ${machine.node}, load average ${loadBefore}`,
);
const results: BenchResult[] = [];

if (only.has("P1")) {
  console.log("P1 pipeline overhead …");
  results.push(await pipelineOverhead({ iterations: 400, warmup: 50, appOptions: UNTHROTTLED_OPTIONS }));
}
if (only.has("P2") || only.has("P4") || only.has("P7") || only.has("P8") || only.has("P11")) {
  console.log("building the client (vite build → dist/bench) …");
  try {
    execFileSync("npm", ["run", "build", "--silent"], {
      cwd: ROOT,
      env: { ...process.env, OUT_DIR: "../dist/bench" },
      stdio: "pipe",
    });
  } catch (err) {
    const { stdout, stderr } = err as { stdout?: Buffer; stderr?: Buffer };
    console.error(`vite build failed:\n${stdout ?? ""}${stderr ?? ""}`);
    process.exit(1);
  }
  const browser: Browser = await chromium.launch({ ...playwrightConfig.use?.launchOptions, headless: true });
  try {
    if (only.has("P2")) {
      console.log(`P2 click to highlight (${clicks} clicks) …`);
      results.push(
        await clickToHighlight({ browser, distDir, port: basePort + 1, samples: clicks, warmup: 20 }),
      );
    }
    if (only.has("P4")) {
      console.log("P4 first load …");
      results.push(await firstLoad({ browser, distDir, port: basePort + 2, loads: 15 }));
    }
    if (only.has("P8")) {
      console.log(`P8 long session (${lessonCheckpoints.join(" / ")} lessons in one tab) …`);
      const session = { browser, distDir, port: basePort + 5, checkpoints: lessonCheckpoints };
      results.push((await longSession(session)).result);
    }
    if (only.has("P11")) {
      const steps = Number(process.env.BENCH_P11_STEPS ?? 33_000);
      console.log(`P11 largest run file (${steps} step events) …`);
      results.push(await bigRunFileBench({ browser, distDir, port: basePort + 6, steps }));
    }
    if (only.has("P7")) {
      const rounds = Number(process.env.BENCH_STEP_ROUNDS ?? 17);
      console.log(`P7 real kernel step round trip (${rounds} runs, ${rounds * 6} presses) …`);
      results.push(await realKernelStep({ browser, distDir, port: basePort + 4, rounds }));
    }
  } finally {
    await browser.close();
  }
}

if (only.has("P5")) {
  console.log("P5 real kernel: Start server → first printk …");
  results.push(
    await realKernelStartup({
      port: basePort + 3,
      cold: Number(process.env.BENCH_REAL_COLD ?? 2),
      warm: Number(process.env.BENCH_REAL_WARM ?? 20),
      contended: Number(process.env.BENCH_REAL_CONTENDED ?? 5),
    }),
  );
  console.log(plainTable(results.slice(-1)));
}
if (only.has("P12")) {
  console.log("P12 real kernel: tracing every run, traced vs untraced …");
  results.push(
    await realKernelTracing({ port: basePort + 3, rounds: Number(process.env.BENCH_TRACE_ROUNDS ?? 5) }),
  );
  console.log(plainTable(results.slice(-1)));
}
if (only.has("P6")) {
  console.log("P6 concurrent real-kernel sessions …");
  results.push(
    await realKernelConcurrency({
      port: basePort + 3,
      levels: (process.env.BENCH_REAL_LEVELS ?? "2,4").split(",").map(Number),
      seconds: Number(process.env.BENCH_REAL_SECONDS ?? 20),
    }),
  );
}
if (only.has("P9")) {
  const p9Seconds = Number(process.env.BENCH_P9_SECONDS ?? 60);
  console.log(`P9 hostile load (${p9Seconds} s per row) …`);
  results.push(await hostileLoad({ port: basePort + 5, seconds: p9Seconds, stalled: 50, halfOpen: 10_000 }));
}

if (only.has("P10")) {
  const lessons = Number(process.env.BENCH_P10_LESSONS ?? 40);
  console.log(`P10 system calls view (${lessons} lessons open / closed, 10 traced learners) …`);
  results.push(await syscallView({ lessons, warmup: 5, tracedLearners: 10, bystanderLessons: lessons }));
}

// Last: a classroom leaves tens of thousands of sockets in TIME_WAIT for a minute, and every lab
// reads the kernel's TCP table, so anything measured right after it would pay for them.
if (only.has("P3")) {
  console.log(`P3 classroom (${seconds} s per level) …`);
  const levels = (process.env.BENCH_P3_LEVELS ?? "100,250,500,1000,2000").split(",").map(Number);
  // Room for every level's learners plus the sessions of those reloading (a closing session is
  // counted until its connection is gone).
  const sessionCap = String(Math.max(UNTHROTTLED_OPTIONS.maxSessions, Math.ceil(Math.max(...levels) * 1.1)));
  results.push(
    await classroom({
      levels,
      seconds,
      thinkMs,
      capacitySeconds,
      capacityLevel: Number(process.env.BENCH_CAPACITY_LEVEL ?? 500),
      port: basePort,
      env: {
        ...UNTHROTTLED_ENV,
        MAX_SESSIONS: sessionCap,
        MAX_SESSIONS_PER_ADDRESS: sessionCap,
        MAX_SESSIONS_PER_LEARNER: sessionCap,
      },
    }),
  );
}
results.sort((a, b) => a.title.localeCompare(b.title));
const elapsed = (Date.now() - started.getTime()) / 1000;
console.log(`\n${plainTable(results)}\n`);
const loadAfter = loadAverage();
console.log(`load average ${loadBefore} before, ${loadAfter} after`);
writeResults(
  `${ROOT}bench/results.md`,
  machine,
  { started, seconds: elapsed, loadBefore, loadAfter },
  results,
);
console.log(`written to bench/results.md (${elapsed.toFixed(0)} s)`);
