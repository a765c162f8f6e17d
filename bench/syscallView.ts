import { readdirSync, readFileSync } from "node:fs";
import { startApp } from "../server/app.ts";
import { UNTHROTTLED_OPTIONS } from "./limits.ts";
import { LessonDriver } from "./lessonDriver.ts";
import type { BenchResult } from "./results.ts";
import { median, mib, ms, percentile } from "./stats.ts";

export type SyscallViewOptions = {
  /** Lessons measured with the view open and closed (alternating). */
  lessons: number;
  warmup: number;
  /** Learners with the view open while the bystander runs. */
  tracedLearners: number;
  /** Bystander lessons measured alone and then beside the traced learners. */
  bystanderLessons: number;
};

/** A bystander's step latency beside 10 traced learners, against alone. */
export const P10_BYSTANDER_RATIO = 1.5;

/**
 * P10, the System calls view: the lesson with the view open (the lab in a worker under strace)
 * against closed, in one app, alternating; then a bystander without the view, alone and while
 * `tracedLearners` learners with it open run lessons flat out; and the memory of each traced lab
 * (strace + its worker, RSS from /proc).
 */
export async function syscallView(options: SyscallViewOptions): Promise<BenchResult> {
  const app = await startApp({
    port: 0,
    labPort: 0,
    ...UNTHROTTLED_OPTIONS,
    syscallViewMax: options.tracedLearners + 2,
  });
  const drivers: LessonDriver[] = [];
  const open = async () => {
    const driver = await LessonDriver.open(app.url, { validate: true, timeoutMs: 30_000 });
    drivers.push(driver);
    return driver;
  };
  try {
    const closedView = await open();
    const openView = await open();
    const startedAt = performance.now();
    await openView.traceSyscalls();
    const startMs = performance.now() - startedAt;
    const closed: number[] = [];
    const opened: number[] = [];
    const lesson = async (driver: LessonDriver, into?: number[]) => {
      const elapsed = await driver.runLesson();
      into?.push(elapsed);
      await driver.unloadBoth();
    };
    for (let i = 0; i < options.warmup; i++) {
      await lesson(closedView);
      await lesson(openView);
    }
    for (let i = 0; i < options.lessons; i++) {
      const pair: Array<[LessonDriver, number[]]> = [
        [closedView, closed],
        [openView, opened],
      ];
      if (i % 2) pair.reverse();
      for (const [driver, into] of pair) await lesson(driver, into);
    }
    const memory = tracedMemory();
    console.log(`  view open / closed: ${ms(median(opened))} / ${ms(median(closed))}`);

    const bystander = await open();
    const alone = await bystanderLatencies(bystander, options.bystanderLessons);
    // The same load without the view: as many learners running lessons flat out, untraced.
    const plainLearners = await Promise.all(Array.from({ length: options.tracedLearners }, () => open()));
    const besidePlain = await besideLearners(bystander, plainLearners, options.bystanderLessons, lesson);
    const traced = await Promise.all(Array.from({ length: options.tracedLearners }, () => open()));
    await Promise.all(traced.map((d) => d.traceSyscalls()));
    const beside = await besideLearners(bystander, traced, options.bystanderLessons, lesson);
    console.log(
      `  bystander p99 alone ${ms(percentile(alone, 99))}, beside plain ${ms(percentile(besidePlain, 99))}, beside traced ${ms(percentile(beside, 99))}`,
    );

    const ratio = median(opened) / median(closed);
    const p99Ratio = percentile(beside, 99) / percentile(besidePlain, 99);
    return {
      title: "P10 system calls view",
      figures: [
        {
          id: "P10",
          name: "lesson, System calls view open / closed (median)",
          measured: `${ms(median(opened))} / ${ms(median(closed))} (×${ratio.toFixed(2)})`,
          // The learner who opened the view pays for it (two processes, IPC, strace's stops): reported, not held.
          target: "—",
        },
        {
          id: "",
          name: `bystander's step latency p50 / p99: alone; beside ${options.tracedLearners} learners without the view → with it`,
          measured: `${ms(percentile(alone, 50))} / ${ms(percentile(alone, 99))}; ${ms(percentile(besidePlain, 50))} / ${ms(percentile(besidePlain, 99))} → ${ms(percentile(beside, 50))} / ${ms(percentile(beside, 99))} (p99 ×${p99Ratio.toFixed(2)})`,
          target: `p99 ≤ ${P10_BYSTANDER_RATIO}×`,
          met: p99Ratio <= P10_BYSTANDER_RATIO,
        },
        {
          id: "",
          name: "memory per traced lab (strace + worker RSS)",
          measured:
            memory.labs > 0
              ? `${mib(memory.bytes / memory.labs)} (${memory.labs} labs)`
              : "no traced lab found",
          target: "—",
        },
        {
          id: "",
          name: "opening the view: reset into the traced lab",
          measured: ms(startMs),
          target: "—",
        },
      ],
      notes: [
        `P10: one app in the bench's process. ${options.lessons} lessons each with the view open and closed, alternating (after ${options.warmup} each untimed); the bystander's latency is module.load → its first step event over ${options.bystanderLessons} lessons alone, then while ${options.tracedLearners} learners without the view run lessons back to back (the baseline: the same load, untraced), then while ${options.tracedLearners} learners with the view open do. Opening the view's time includes bundling the worker once (esbuild) on the app's first traced lab.`,
      ],
    };
  } finally {
    await Promise.all(drivers.map((d) => d.close()));
    await app.close();
  }
}

/** The bystander's latencies while `learners` run lessons back to back. */
async function besideLearners(
  bystander: LessonDriver,
  learners: readonly LessonDriver[],
  lessons: number,
  lesson: (driver: LessonDriver) => Promise<void>,
): Promise<number[]> {
  let running = true;
  const loops = learners.map(async (d) => {
    while (running) await lesson(d);
  });
  const latencies = await bystanderLatencies(bystander, lessons);
  running = false;
  await Promise.all(loops);
  return latencies;
}

async function bystanderLatencies(driver: LessonDriver, lessons: number): Promise<number[]> {
  const from = driver.stepLatencies.length;
  for (let i = 0; i < lessons; i++) {
    await driver.runLesson();
    await driver.unloadBoth();
  }
  return driver.stepLatencies.slice(from);
}

/** RSS of this process's strace children and the workers under them, from /proc. */
function tracedMemory(): { labs: number; bytes: number } {
  const table = readdirSync("/proc")
    .filter((name) => /^\d+$/.test(name))
    .flatMap((pid) => {
      try {
        const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
        const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
        const comm = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
        const rss = Number(/^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0);
        return [{ pid: Number(pid), ppid, comm, rss: rss * 1024 }];
      } catch {
        return [];
      }
    });
  const straces = table.filter((p) => p.ppid === process.pid && p.comm === "strace");
  const workers = table.filter((p) => straces.some((s) => s.pid === p.ppid));
  const bytes = [...straces, ...workers].reduce((sum, p) => sum + p.rss, 0);
  return { labs: straces.length, bytes };
}
