import type { Browser, CDPSession, Locator, Page } from "@playwright/test";
import { startAppProcess } from "./appProcess.ts";
import { UNTHROTTLED_ENV } from "./limits.ts";
import type { BenchResult } from "./results.ts";
import { mib, ms } from "./stats.ts";

/** After the last checkpoint, each figure within this factor of the first: the page's cost stays flat. */
export const P8_TARGET_RATIO = 1.5;

/** What the renderer reports at one checkpoint (CDP Performance.getMetrics), after a forced GC. */
export type SessionSample = {
  lessons: number;
  /** Renderer main-thread task time per lesson, averaged over the lessons just before the checkpoint. */
  taskMsPerLesson: number;
  /** The main thread's CPU time per lesson over the same lessons (ThreadTime): what load on the machine does not inflate. */
  cpuMsPerLesson: number;
  /** Wall time per lesson in the page over the same lessons. */
  wallMsPerLesson: number;
  nodes: number;
  listeners: number;
  heapBytes: number;
};

type Metrics = Record<string, number>;

async function metrics(cdp: CDPSession): Promise<Metrics> {
  const { metrics } = await cdp.send("Performance.getMetrics");
  return Object.fromEntries(metrics.map((m) => [m.name, m.value]));
}

function stateWords(page: Page, module: "server" | "client"): Locator {
  return page.getByRole("region", { name: `${module} module` }).locator(".module-state .state-words");
}

async function waitForWords(page: Page, module: "server" | "client", words: RegExp): Promise<void> {
  await stateWords(page, module).filter({ hasText: words }).waitFor();
}

/** The lesson as a learner clicks it: Start server, Start client, both loaded, Stop both. */
async function lesson(page: Page): Promise<void> {
  await page
    .getByRole("button", { name: /Start server/ })
    .first()
    .click();
  await waitForWords(page, "server", /blocked in accept/);
  await page
    .getByRole("button", { name: /Start client/ })
    .first()
    .click();
  await waitForWords(page, "client", /^loaded$/);
  await waitForWords(page, "server", /^loaded$/);
  await page
    .getByRole("button", { name: /Stop server/ })
    .first()
    .click();
  await page
    .getByRole("button", { name: /Stop client/ })
    .first()
    .click();
  await waitForWords(page, "server", /not loaded/);
  await waitForWords(page, "client", /not loaded/);
}

/** A lesson that did not finish says where the page was: both modules' state words and its notices. */
async function lessonOrReport(page: Page, done: number): Promise<void> {
  try {
    await lesson(page);
  } catch (err) {
    const words = await Promise.all(
      (["server", "client"] as const).map(async (m) => `${m}: ${await stateWords(page, m).textContent()}`),
    );
    const notices = await page.locator(".notices").allTextContents();
    throw new Error(
      `lesson ${done + 1} did not finish (${words.join(", ")}; notices: ${notices.join(" | ")})`,
      {
        cause: err,
      },
    );
  }
}

/**
 * P8: one tab running the lesson again and again. At each checkpoint: the renderer's main-thread
 * time per lesson over the last `window` lessons, and — after a forced garbage collection — the
 * DOM nodes, event listeners and JS heap the page holds.
 */
export async function longSession(options: {
  browser: Browser;
  distDir: string;
  port: number;
  checkpoints: readonly number[];
  window?: number;
}): Promise<{ result: BenchResult; samples: SessionSample[] }> {
  const window = options.window ?? 10;
  const app = await startAppProcess(options.port, { STATIC_DIR: options.distDir, ...UNTHROTTLED_ENV });
  const context = await options.browser.newContext({ viewport: { width: 1400, height: 1600 } });
  const samples: SessionSample[] = [];
  const started = performance.now();
  try {
    const page = await context.newPage();
    // A page that slows down with every run (as this one did) must still be measured, not timed out.
    page.setDefaultTimeout(300_000);
    const cdp = await context.newCDPSession(page);
    await cdp.send("Performance.enable");
    await page.goto(`${app.url}/?pace=instant`);
    await page.getByText(/your lab uses port \d+/).waitFor();
    let done = 0;
    for (const checkpoint of options.checkpoints) {
      const windowStart = Math.max(done, checkpoint - window);
      while (done < windowStart) {
        await lessonOrReport(page, done);
        done++;
      }
      const before = await metrics(cdp);
      const wallBefore = performance.now();
      while (done < checkpoint) {
        await lessonOrReport(page, done);
        done++;
      }
      const after = await metrics(cdp);
      const counted = checkpoint - windowStart;
      const wall = (performance.now() - wallBefore) / counted;
      await cdp.send("HeapProfiler.collectGarbage");
      const settled = await metrics(cdp);
      const sample: SessionSample = {
        lessons: checkpoint,
        taskMsPerLesson: (((after.TaskDuration ?? 0) - (before.TaskDuration ?? 0)) * 1000) / counted,
        cpuMsPerLesson:
          (((after.ThreadTime ?? Number.NaN) - (before.ThreadTime ?? Number.NaN)) * 1000) / counted,
        wallMsPerLesson: wall,
        nodes: settled.Nodes ?? Number.NaN,
        listeners: settled.JSEventListeners ?? Number.NaN,
        heapBytes: settled.JSHeapUsedSize ?? Number.NaN,
      };
      samples.push(sample);
      console.log(
        `  after ${checkpoint} lessons: ${ms(sample.taskMsPerLesson)} main thread / lesson (${ms(sample.cpuMsPerLesson)} CPU), ${ms(wall)} wall / lesson, ${sample.nodes} nodes, ${sample.listeners} listeners, ${mib(sample.heapBytes)} heap`,
      );
    }
  } finally {
    await context.close();
    await app.stop();
  }
  return { result: report(samples, window, (performance.now() - started) / 1000), samples };
}

function ratioFigure(
  samples: readonly SessionSample[],
  name: string,
  pick: (s: SessionSample) => number,
  show: (v: number) => string,
): BenchResult["figures"][number] {
  const first = samples[0] as SessionSample;
  const last = samples.at(-1) as SessionSample;
  const ratio = pick(last) / pick(first);
  return {
    id: "P8",
    name: `${name} after ${samples.map((s) => s.lessons).join(" / ")} lessons`,
    measured: `${samples.map((s) => show(pick(s))).join(" / ")} (×${ratio.toFixed(2)})`,
    target: `last ≤ ${P8_TARGET_RATIO}× first`,
    met: ratio <= P8_TARGET_RATIO,
  };
}

function report(samples: readonly SessionSample[], window: number, seconds: number): BenchResult {
  return {
    title: "P8 long session in one tab",
    figures: [
      ratioFigure(samples, "renderer main-thread time per lesson", (s) => s.taskMsPerLesson, ms),
      ratioFigure(samples, "  … its CPU time (ThreadTime)", (s) => s.cpuMsPerLesson, ms),
      ratioFigure(
        samples,
        "DOM nodes",
        (s) => s.nodes,
        (v) => String(Math.round(v)),
      ),
      ratioFigure(
        samples,
        "JS event listeners",
        (s) => s.listeners,
        (v) => String(Math.round(v)),
      ),
      ratioFigure(samples, "JS heap used", (s) => s.heapBytes, mib),
    ],
    notes: [
      `One Chromium tab (Debian's, headless, the flags of playwright.config.ts), 1400×1600, the production build served by the app in a child process (rate limits raised), \`?pace=instant\`; the lesson clicked as a learner does, again and again: Start server, (blocked in accept) Start client, (both loaded) Stop server, Stop client, (both not loaded). ${samples.at(-1)?.lessons ?? 0} lessons in ${seconds.toFixed(0)} s.`,
      `Main-thread time: CDP \`Performance.getMetrics\` TaskDuration (the renderer main thread's busy time, wall clock) over the ${window} lessons before each checkpoint, divided by ${window}; its CPU time: ThreadTime over the same lessons (a loaded machine stretches TaskDuration, not ThreadTime). Wall time per lesson over the same lessons: ${samples.map((s) => ms(s.wallMsPerLesson)).join(" / ")}.`,
      "DOM nodes, JS event listeners and JS heap used: the same metrics (Nodes, JSEventListeners, JSHeapUsedSize) right after a forced garbage collection (CDP `HeapProfiler.collectGarbage`), so detached nodes awaiting collection are not counted.",
    ],
  };
}
