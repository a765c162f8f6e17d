import { startApp } from "../server/app.ts";
import { bareLesson } from "./bareSockets.ts";
import { LabKernelLesson } from "./labKernelLesson.ts";
import { LessonDriver } from "./lessonDriver.ts";
import type { BenchResult } from "./results.ts";
import { median, ms, percentile } from "./stats.ts";

export type PipelineOptions = {
  iterations: number;
  warmup: number;
  appOptions?: Parameters<typeof startApp>[0];
};

export const P1_TARGET_RATIO = 1.5;

/**
 * A tab is reloaded after this many lessons (untimed). Each lesson leaves sockets in the kernel's
 * table for a while (the published client's, never released; TIME_WAIT for 60 s), and a session's
 * socket-state view only shows so many of them.
 */
const LESSONS_PER_SESSION = 100;

/**
 * P1: the lesson through the whole server pipeline (WebSocket frames, zod on both edges, the lab
 * kernel's gate, printk formatting, events serialised per call) against the bare socket work, in
 * one process, alternating A/B so drift (CPU frequency, GC, the page cache) hits both alike.
 */
export async function pipelineOverhead(options: PipelineOptions): Promise<BenchResult> {
  const app = await startApp({ port: 0, labPort: 0, ...options.appOptions });
  let driver = await LessonDriver.open(app.url, { validate: true });
  let lessonsInSession = 0;
  const lab: number[] = [];
  const bare: number[] = [];
  const runLab = async (into?: number[]) => {
    if (lessonsInSession === LESSONS_PER_SESSION) {
      await driver.close();
      driver = await LessonDriver.open(app.url, { validate: true });
      lessonsInSession = 0;
    }
    const elapsed = await driver.runLesson();
    into?.push(elapsed);
    await driver.unloadBoth();
    lessonsInSession++;
  };
  const runBare = async (into?: number[]) => {
    const elapsed = await bareLesson();
    into?.push(elapsed);
  };
  let kernelOnly = await LabKernelLesson.open();
  let kernelLessons = 0;
  const kernel: number[] = [];
  const runKernel = async (into?: number[]) => {
    if (kernelLessons === LESSONS_PER_SESSION) {
      kernelOnly.dispose();
      kernelOnly = await LabKernelLesson.open();
      kernelLessons = 0;
    }
    into?.push(await kernelOnly.run());
    await kernelOnly.unloadBoth();
    kernelLessons++;
  };
  // Each round runs the three in a rotated order, so none always follows the same one.
  const orders = [
    [runLab, runBare, runKernel],
    [runBare, runKernel, runLab],
    [runKernel, runLab, runBare],
  ];
  try {
    for (let i = 0; i < options.warmup; i++) {
      await runLab();
      await runBare();
      await runKernel();
    }
    for (let i = 0; i < options.iterations; i++) {
      for (const run of orders[i % orders.length] ?? []) {
        await run(run === runLab ? lab : run === runBare ? bare : kernel);
      }
    }
  } finally {
    kernelOnly.dispose();
    await driver.close();
    await app.close();
  }
  const ratio = median(lab) / median(bare);
  return {
    title: "P1 pipeline overhead",
    figures: [
      {
        id: "P1",
        name: "lesson via the app / bare sockets (median)",
        measured: `${ratio.toFixed(2)}× (${ms(median(lab))} / ${ms(median(bare))})`,
        target: `≤ ${P1_TARGET_RATIO}×`,
        met: ratio <= P1_TARGET_RATIO,
      },
      {
        id: "P1",
        name: "  of which the lab kernel alone, no WebSocket (median)",
        measured: `${(median(kernel) / median(bare)).toFixed(2)}× (${ms(median(kernel))})`,
        target: "—",
      },
    ],
    notes: [
      `${options.iterations} lessons each way after ${options.warmup} warm-up rounds, the order rotated every round; one process (app from \`startApp\`, its WebSocket client, and the bare script), so neither side gets a second core.`,
      `Lab: \`module.load server\` → wait for \`accept\` entered (the server is listening) → \`module.load client\` → wait for both \`module.state live\`; every frame validated with the protocol's zod schema as the browser does. The \`rmmod\` of both that lets the next lesson run in the same session is not timed, nor is the new session opened every ${LESSONS_PER_SESSION} lessons. p95 ${ms(percentile(lab, 95))}.`,
      `Bare: \`net\` listen on 127.0.0.1:0 (backlog 10) → connect → write 1024 × 0x01 → server reads 1024 → close listener and connection; done when the bytes are read, both released and the write completed — where the lab's lesson ends too. p95 ${ms(percentile(bare, 95))}.`,
      `Limits raised for the run (\`maxSessions\` ${options.appOptions?.maxSessions ?? "default"}, \`rateLimit\` ${JSON.stringify(options.appOptions?.rateLimit ?? "default")}): the default 20 frames a second would refuse back-to-back lessons.`,
      `Lab kernel alone: the same lesson through \`LabKernel\` directly (its gate, step and printk events, state, the /proc/net/tcp poller), events created and dropped: what the lab adds before anything is serialised. p95 ${ms(percentile(kernel, 95))}.`,
      "Same work, not identical work: the lab also runs a WebSocket round trip between the two insmods (the learner waits for the server to listen), emits ~40 events (steps, printk, console, states), and, as the published client.c, never closes the client socket; the bare client closes its own after the server hangs up, off the clock.",
    ],
  };
}
