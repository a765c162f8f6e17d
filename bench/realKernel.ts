import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { type AppProcess, startAppProcess } from "./appProcess.ts";
import { LessonDriver } from "./lessonDriver.ts";
import { UNTHROTTLED_ENV } from "./limits.ts";
import { loadAverage } from "./machine.ts";
import { RealKernelTab } from "./realKernelTab.ts";
import type { BenchResult } from "./results.ts";
import { median, mib, ms, percentile } from "./stats.ts";
import { vmProcesses } from "./vmProcesses.ts";

export const P5_WARM_TARGET_MS = 300;

const range = (samples: number[]) =>
  samples.length
    ? `median ${ms(median(samples))}, p95 ${ms(percentile(samples, 95))}, n=${samples.length}`
    : "n/a";

/**
 * P5: a learner presses Start server → the module's first printk reaches the tab (the WebSocket
 * frame; the page draws it on its next frame, which P2 measures). Cold: a fresh install (an empty
 * module cache) and the press right after picking "Real kernel". Warm: the VM already booted (the
 * common case now that it boots when the engine is picked). Contended: warm, while a neighbour's VM boots.
 */
export async function realKernelStartup(options: {
  port: number;
  cold: number;
  warm: number;
  contended: number;
}): Promise<BenchResult> {
  const cold: number[] = [];
  const loads: string[] = [];
  for (let i = 0; i < options.cold; i++) {
    const cache = mkdtempSync(join(tmpdir(), "ksl-bench-cold-"));
    const app = await startAppProcess(options.port, { REAL_KERNEL_CACHE: cache });
    try {
      const tab = await RealKernelTab.open(app.url);
      await tab.realKernel("fixed", false);
      cold.push(await tab.startServer());
      await tab.close();
    } finally {
      await app.stop();
      rmSync(cache, { recursive: true, force: true });
    }
  }
  loads.push(`cold done at load ${loadAverage()}`);

  const warm: number[] = [];
  const contended: number[] = [];
  const app = await startAppProcess(options.port, {
    REAL_KERNEL_MAX_VMS: "4",
    REAL_KERNEL_VMS_PER_ADDRESS: "4",
  });
  try {
    const tab = await RealKernelTab.open(app.url);
    await tab.realKernel("fixed", true);
    // One untimed run: the first insmod pays for the guest's page cache.
    await tab.startServer();
    await tab.stopServer();
    for (let i = 0; i < options.warm; i++) {
      warm.push(await tab.startServer());
      await tab.stopServer();
    }
    loads.push(`warm done at load ${loadAverage()}`);
    for (let i = 0; i < options.contended; i++) {
      const neighbour = await RealKernelTab.open(app.url);
      await neighbour.realKernel("fixed", false);
      // Its QEMU is starting: the press comes while that kernel boots.
      await neighbour.waitFor(
        (e) => e.type === "engine" && e.status === "booting" && e.ms === undefined,
        120_000,
      );
      contended.push(await tab.startServer());
      await tab.stopServer();
      await neighbour.close();
    }
    loads.push(`contended done at load ${loadAverage()}`);
    await tab.close();
  } finally {
    await app.stop();
  }
  return {
    title: "P5 real kernel: Start server → first printk",
    figures: [
      { id: "P5", name: "cold (fresh install: kbuild + boot)", measured: range(cold), target: "—" },
      {
        id: "P5",
        name: "warm (VM booted when Real kernel was picked)",
        measured: range(warm),
        target: `p95 ≤ ${P5_WARM_TARGET_MS} ms`,
        met: warm.length > 0 && percentile(warm, 95) <= P5_WARM_TARGET_MS,
      },
      { id: "P5", name: "warm, while a neighbour's VM boots", measured: range(contended), target: "—" },
    ],
    notes: [
      "From the module.load frame sent to the WebSocket frame of the server's first printk (`server init:`), measured in the tab's process; the page draws it on its next animation frame (P2 measures click → highlight).",
      "The fixed server, so each run ends with rmmod in the same VM. Cold: an empty REAL_KERNEL_CACHE, the app just started (its background build under way), Start pressed right after picking Real kernel: kbuild of both pairs + the initramfs + a boot.",
      "Contended: a second session picks Real kernel (its QEMU boots under TCG, about one core) and the press comes as its status turns to booting.",
      `Load as it went: ${loads.join("; ")}.`,
    ],
  };
}

type Cost = { cpuPercent: number; rssBytes: number };

async function vmCost(app: AppProcess, seconds: number): Promise<Cost> {
  const before = vmProcesses(app.pid);
  const t0 = performance.now();
  await new Promise((r) => setTimeout(r, seconds * 1000));
  const after = vmProcesses(app.pid);
  const wall = performance.now() - t0;
  const cpu = after.reduce((sum, p) => sum + p.cpuMs - (before.find((b) => b.pid === p.pid)?.cpuMs ?? 0), 0);
  return { cpuPercent: (cpu / wall) * 100, rssBytes: after.reduce((s, p) => s + p.rssBytes, 0) };
}

/**
 * P6: one VM's cost (booting, idle, running the lesson), then N sessions each with its own VM
 * running Start server / Stop server in a loop, with a Node-lab learner beside them.
 */
export async function realKernelConcurrency(options: {
  port: number;
  levels: number[];
  seconds: number;
}): Promise<BenchResult> {
  const figures: BenchResult["figures"] = [];
  const notes: string[] = [];

  // One VM alone: booting, idle, and running the lesson in a loop.
  {
    const app = await startAppProcess(options.port, {});
    try {
      const tab = await RealKernelTab.open(app.url);
      const t0 = performance.now();
      await tab.realKernel("fixed", true);
      const bootWall = performance.now() - t0;
      const boot = vmProcesses(app.pid);
      const bootCpu = boot.reduce((s, p) => s + p.cpuMs, 0);
      const idle = await vmCost(app, 10);
      let running = true;
      const loop = (async () => {
        while (running) {
          await tab.startServer();
          await tab.stopServer();
        }
      })();
      const busy = await vmCost(app, 10);
      running = false;
      await loop;
      await tab.close();
      figures.push({
        id: "P6",
        name: "one VM: CPU booting / idle / running the lesson",
        measured: `${((bootCpu / bootWall) * 100).toFixed(0)} % for ${ms(bootWall)} / ${idle.cpuPercent.toFixed(1)} % / ${busy.cpuPercent.toFixed(0)} %`,
        target: "—",
      });
      figures.push({
        id: "P6",
        name: "one VM: resident memory booted / idle / running",
        measured: `${mib(boot.reduce((s, p) => s + p.rssBytes, 0))} / ${mib(idle.rssBytes)} / ${mib(busy.rssBytes)}`,
        target: "—",
      });
    } finally {
      await app.stop();
    }
  }

  for (const level of options.levels) {
    const app = await startAppProcess(options.port, {
      ...UNTHROTTLED_ENV,
      REAL_KERNEL_MAX_VMS: String(level),
      // Every bench session connects from 127.0.0.1: the per-address share is lifted to the level.
      REAL_KERNEL_VMS_PER_ADDRESS: String(level),
    });
    try {
      const tabs = await Promise.all(Array.from({ length: level }, () => RealKernelTab.open(app.url)));
      await Promise.all(tabs.map((t) => t.realKernel("fixed", true, 600_000)));
      const bystander = await LessonDriver.open(app.url, { validate: true, timeoutMs: 60_000 });
      const real: number[] = [];
      let running = true;
      const stuck: string[] = [];
      const loops = tabs.map(async (tab, i) => {
        while (running) {
          try {
            real.push(await tab.startServer(120_000));
            await tab.stopServer(120_000);
          } catch (err) {
            // Counted and reported, not hidden: a session that got no answer stops its loop.
            stuck.push(`session ${i + 1}: ${(err as Error).message}`);
            return;
          }
        }
      });
      const node = (async () => {
        while (running) {
          // A learner's pace: a quarter second between seeing the server block and starting the client.
          await bystander.runLesson(() => new Promise((r) => setTimeout(r, 250)));
          await bystander.unloadBoth();
        }
      })().catch((err: unknown) => {
        notes.push(`${level} VMs: the Node-lab bystander failed: ${(err as Error).message}`);
      });
      const cost = await vmCost(app, options.seconds);
      running = false;
      await Promise.all([...loops, node]);
      await bystander.close();
      await Promise.all(tabs.map((t) => t.close()));
      figures.push({
        id: "P6",
        name: `${level} real-kernel sessions at once: Start server → first printk`,
        measured: `${range(real)}${stuck.length ? `, ${stuck.length} without an answer in 120 s` : ""}`,
        target: "—",
      });
      figures.push({
        id: "P6",
        name: `… the Node-lab bystander's step latency beside them`,
        measured: range(bystander.stepLatencies),
        target: "—",
      });
      if (stuck.length) notes.push(`${level} VMs: no answer — ${stuck.join("; ")}.`);
      notes.push(
        `${level} VMs: their QEMUs used ${cost.cpuPercent.toFixed(0)} % of one core together, ${mib(cost.rssBytes)} resident; load average ${loadAverage()} at the end.`,
      );
    } finally {
      await app.stop();
    }
  }
  notes.unshift(
    "One VM: QEMU's CPU time (from /proc/<pid>/stat) over wall time while it boots (QEMU started → the init ready), over 10 s idle (booted, nothing loaded) and over 10 s of Start server / Stop server in a loop; memory is QEMU's RSS.",
    `Levels: that many sessions (REAL_KERNEL_MAX_VMS set to match), each with its VM booted, run Start server → first printk → Stop server in a loop for ${options.seconds} s, while one Node-lab session runs the lesson in a loop, 250 ms between server and client (its step latency: command sent → the module's first step event).`,
  );
  return { title: "P6 concurrent real-kernel sessions", figures, notes };
}
