/**
 * P9, the server under hostile load (issue 17): one bystander runs the lesson over and over while
 * (a) nothing else happens, (b) 50 sessions send commands within the rate limit but never read
 * their socket (each from its own loopback address, as 50 stalled tabs in a classroom; they also
 * send unsolicited pongs, so only back-pressure can drop them), (c) 10,000 connections from one
 * address open and never finish their request headers. Each in a fresh app process with its
 * default limits. Reported: the app's RSS (start, peak, after the flood), its descriptors, and the
 * bystander's step latency (command sent → first step event) p50 / p95.
 */
import { spawn } from "node:child_process";
import net from "node:net";
import { fileURLToPath } from "node:url";
import { performance } from "node:perf_hooks";
import { labSocketUrl } from "../test/helpers/labSocketUrl.ts";
import { StalledClient } from "../test/helpers/stalledClient.ts";
import { type AppProcess, startAppProcess } from "./appProcess.ts";
import { LessonDriver } from "./lessonDriver.ts";
import type { BenchResult, Figure } from "./results.ts";
import { mib, ms, percentile } from "./stats.ts";

export type HostileOptions = { port: number; seconds: number; stalled: number; halfOpen: number };

type Run = {
  name: string;
  rssStart: number;
  rssPeak: number;
  rssAfter: number;
  fdsPeak: number;
  /** The app's CPU time over the row, as a share of one core. */
  cpuShare: number;
  latencies: number[];
  lessons: number;
  problems: string[];
  detail: string;
};

/**
 * A learner's commands, sent blind at the default rate limit's pace (20 a second): the fixed
 * server loaded once (its accept loop takes every client), then the client loaded and unloaded
 * over and over. Each client run brings the server's receive printk (973 control bytes, escaped in
 * JSON) and the bytes moved: about 9 KB of events per two commands.
 */
const SET_UP = [
  { type: "variant.select", variant: "fixed" },
  { type: "module.load", module: "server" },
].map((c) => JSON.stringify(c));
const CLIENT_RUN = [
  { type: "module.load", module: "client" },
  { type: "module.unload", module: "client" },
].map((c) => JSON.stringify(c));

/** A learner reloads the page now and then; a bystander too, before its lab's socket cap is reached. */
const LESSONS_PER_SESSION = 40;

async function bystanderFor(
  app: AppProcess,
  seconds: number,
  sample: () => void,
): Promise<{ latencies: number[]; lessons: number; problems: string[] }> {
  const until = performance.now() + seconds * 1000;
  const latencies: number[] = [];
  const problems: string[] = [];
  let lessons = 0;
  const pause = () => new Promise<void>((resolve) => setTimeout(resolve, 250 + Math.random() * 500));
  while (performance.now() < until && problems.length === 0) {
    const driver = await LessonDriver.open(app.url, { validate: false, timeoutMs: 30_000 });
    try {
      for (let i = 0; i < LESSONS_PER_SESSION && performance.now() < until; i++) {
        await driver.runLesson(pause);
        await driver.unloadBoth();
        lessons++;
        sample();
      }
    } catch (err) {
      problems.push((err as Error).message);
    }
    await driver.close();
    latencies.push(...driver.stepLatencies);
    problems.push(...driver.problems);
  }
  return { latencies, lessons, problems };
}

async function measure(
  name: string,
  options: HostileOptions,
  load: (app: AppProcess) => Promise<{ stop: () => Promise<string> }>,
): Promise<Run> {
  const app = await startAppProcess(options.port);
  try {
    const rssStart = app.rss();
    let rssPeak = rssStart;
    let fdsPeak = app.fds();
    const sample = () => {
      rssPeak = Math.max(rssPeak, app.rss());
      fdsPeak = Math.max(fdsPeak, app.fds());
    };
    const sampler = setInterval(sample, 200);
    const flood = await load(app);
    const cpuBefore = app.cpuMs();
    const wallBefore = performance.now();
    const bystander = await bystanderFor(app, options.seconds, sample);
    const cpuShare = (app.cpuMs() - cpuBefore) / (performance.now() - wallBefore);
    const detail = await flood.stop();
    // Memory the flood cost is returned once it is gone: measured a few seconds after.
    await new Promise((resolve) => setTimeout(resolve, 5000));
    clearInterval(sampler);
    return { name, rssStart, rssPeak, rssAfter: app.rss(), fdsPeak, cpuShare, ...bystander, detail };
  } finally {
    await app.stop();
  }
}

function nothing(): Promise<{ stop: () => Promise<string> }> {
  return Promise.resolve({ stop: async () => "" });
}

function stalledSessions(count: number) {
  return async (app: AppProcess) => {
    const clients = await Promise.all(
      Array.from({ length: count }, (_, i) => StalledClient.open(app.url, `127.0.0.${i + 2}`)),
    );
    for (const client of clients) for (const command of SET_UP) client.send(command);
    let step = 0;
    const timer = setInterval(() => {
      const command = CLIENT_RUN[step++ % CLIENT_RUN.length] as string;
      for (const client of clients) {
        client.send(command);
        client.pong();
      }
    }, 50);
    return {
      stop: async () => {
        clearInterval(timer);
        const dropped = clients.filter((c) => c.isClosed).length;
        for (const client of clients) client.destroy();
        return `${dropped} of ${count} dropped by the server`;
      },
    };
  };
}

function halfOpenConnections(count: number) {
  return async (app: AppProcess) => {
    const port = Number(new URL(app.url).port);
    const sockets: net.Socket[] = [];
    const started = performance.now();
    const open = () =>
      new Promise<void>((resolve) => {
        const socket = net.connect({ host: "127.0.0.1", port, localAddress: "127.0.0.2" });
        socket.on("error", () => {});
        socket.resume();
        socket.once("connect", () => {
          socket.write("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ");
          resolve();
        });
        socket.once("close", () => resolve());
        sockets.push(socket);
      });
    for (let batch = 0; batch < count / 500; batch++) await Promise.all(Array.from({ length: 500 }, open));
    const openedMs = performance.now() - started;
    return {
      stop: async () => {
        const closed = sockets.filter((s) => s.destroyed || s.readyState === "closed").length;
        for (const socket of sockets) socket.destroy();
        return `${count} opened in ${(openedMs / 1000).toFixed(1)} s; ${closed} closed by the server by the end`;
      },
    };
  };
}

/**
 * One session (from 127.0.0.3) that sends 64 KiB text frames, the most a frame may be, as fast as
 * its socket takes them: all but the rate limit's share are dropped unread by the server. The
 * flooder is a process of its own (bench/frameFlooder.ts), off the event loop that times the bystander.
 */
function frameFlood() {
  return async (app: AppProcess) => {
    const child = spawn(
      process.execPath,
      [
        "--import",
        "tsx",
        fileURLToPath(new URL("./frameFlooder.ts", import.meta.url)),
        labSocketUrl(app.url),
      ],
      { stdio: ["ignore", "pipe", "inherit"] },
    );
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    const exited = new Promise((resolve) => child.once("exit", resolve));
    await new Promise<void>((resolve, reject) => {
      const timer = setInterval(() => {
        if (output.includes("open")) {
          clearInterval(timer);
          resolve();
        } else if (child.exitCode !== null) {
          clearInterval(timer);
          reject(new Error("the frame flooder exited before its WebSocket opened"));
        }
      }, 50);
    });
    return {
      stop: async () => {
        child.kill("SIGTERM");
        await exited;
        const [, sent = "?", cpu = "NaN"] = /sent (\d+) cpu ([\d.]+)/.exec(output) ?? [];
        return `${sent} frames of 64 KiB sent; the flooder used ${(Number(cpu) * 100).toFixed(0)} % of a core`;
      },
    };
  };
}

const FRAME_FLOOD = "a 64 KiB frame flood";

export async function hostileLoad(options: HostileOptions): Promise<BenchResult> {
  const rows = new Set((process.env.BENCH_P9_ROWS ?? "none,stalled,halfOpen,frames").split(","));
  const runs = [
    rows.has("none") ? await measure("none", options, nothing) : undefined,
    rows.has("stalled")
      ? await measure(`${options.stalled} non-reading sessions`, options, stalledSessions(options.stalled))
      : undefined,
    rows.has("halfOpen")
      ? await measure(
          `${options.halfOpen} half-open connections`,
          options,
          halfOpenConnections(options.halfOpen),
        )
      : undefined,
    rows.has("frames") ? await measure(FRAME_FLOOD, options, frameFlood()) : undefined,
  ].filter((run) => run !== undefined);
  const figures: Figure[] = runs.map((run, i) => ({
    id: i === 0 ? "P9" : "",
    name: `hostile load: ${run.name} — RSS start / peak / 5 s after; bystander step p50 / p95`,
    measured: `${mib(run.rssStart)} / ${mib(run.rssPeak)} / ${mib(run.rssAfter)}; ${ms(percentile(run.latencies, 50))} / ${ms(percentile(run.latencies, 95))} (${run.lessons} lessons${run.problems.length ? `, ${run.problems.length} problems: ${run.problems[0]}` : ""}); app CPU ${(run.cpuShare * 100).toFixed(0)} % of a core; fds peak ${run.fdsPeak}${run.detail ? `; ${run.detail}` : ""}`,
    target: i === 0 ? "—" : "RSS bounded, returns near start; p95 near none's",
  }));
  // Issue 28: frames dropped by the rate limit cost the app less than a bystander notices.
  const quiet = runs.find((run) => run.name === "none");
  const flooded = runs.find((run) => run.name === FRAME_FLOOD);
  if (quiet && flooded) {
    const ratio = percentile(flooded.latencies, 95) / percentile(quiet.latencies, 95);
    figures.push({
      id: "",
      name: "bystander's step p95 under the 64 KiB frame flood / quiet, same run",
      measured: `${ratio.toFixed(2)}× (${ms(percentile(flooded.latencies, 95))} / ${ms(percentile(quiet.latencies, 95))}); app CPU ${(flooded.cpuShare * 100).toFixed(0)} % / ${(quiet.cpuShare * 100).toFixed(0)} % of a core`,
      target: "≤ 2×",
      met: ratio <= 2,
    });
  }
  return {
    title: "P9 hostile load",
    figures,
    notes: [
      `**P9 hostile load**: a fresh app process per row, default limits; one bystander (127.0.0.1) runs the lesson with 0.25–0.75 s pauses for ${options.seconds} s, its step latency is command sent → first step event. Non-reading sessions: each from its own loopback address, the fixed server loaded once, then the client loaded and unloaded blind at 20 commands a second (the default rate limit), an unsolicited pong with each, never reading. The bystander opens a new session every 40 lessons (the lab's socket cap would stop the published client's leak at 64). Half-open: ${options.halfOpen} connections from 127.0.0.2 that send half a request's headers and stop. Frame flood: one session from 127.0.0.3 sends 64 KiB text frames as fast as its socket takes them, from a process of its own (BENCH_P9_ROWS picks rows). App CPU: the app's user + system time over the bystander's run, from /proc/<pid>/stat, a load-independent measure of what the flood costs it. RSS from /proc/<pid>/status, sampled every 200 ms; "after" is 5 s after the flood's sockets were closed.`,
    ],
  };
}
