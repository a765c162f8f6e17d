import type { Browser, Locator, Page } from "@playwright/test";
import { startAppProcess } from "./appProcess.ts";
import { installClickProbe, type ProbeWindow, probeScript } from "./browserProbes.ts";
import type { BenchResult } from "./results.ts";
import { median, ms, percentile } from "./stats.ts";

export const P2_TARGET_P95_MS = 16.7;

type Module = "server" | "client";

function stateWords(page: Page, module: Module): Locator {
  return page.getByRole("region", { name: `${module} module` }).locator(".module-state .state-words");
}

function button(page: Page, name: RegExp): Locator {
  return page.getByRole("button", { name }).first();
}

/** Clicks like a person (Playwright's real mouse events) and returns click → highlight painted. */
async function measuredClick(page: Page, target: Locator): Promise<number> {
  await page.evaluate(() => {
    const w = window as unknown as ProbeWindow & { benchSample?: Promise<number> };
    w.benchSample = w.benchClickProbe.arm();
  });
  await target.click();
  return await page.evaluate(() => {
    const w = window as unknown as { benchSample: Promise<number> };
    return Promise.race([w.benchSample, new Promise<number>((_, reject) => setTimeout(() => reject(new Error("no highlight within 5 s")), 5000))]);
  });
}

/** Step mode on, through whatever control the page offers for it; false when it has none. */
async function enableStepMode(page: Page): Promise<boolean> {
  const toggle = page.getByRole("checkbox", { name: /step/i }).or(page.getByRole("switch", { name: /step/i }));
  if ((await toggle.count()) === 0) return false;
  await toggle.first().check();
  return true;
}

async function stepUntil(page: Page, module: Module, words: RegExp, samples: number[]): Promise<void> {
  const step = button(page, new RegExp(`Step ${module}`));
  for (let i = 0; i < 20 && !words.test((await stateWords(page, module).textContent()) ?? ""); i++) {
    samples.push(await measuredClick(page, step));
  }
}

/** One lesson through the UI; every click that moves a C line's highlight is a sample. */
async function lesson(page: Page, stepMode: boolean, samples: number[]): Promise<void> {
  samples.push(await measuredClick(page, button(page, /Start server/)));
  if (stepMode) await stepUntil(page, "server", /blocked in accept/, samples);
  await stateWords(page, "server").filter({ hasText: "blocked in accept" }).waitFor();
  samples.push(await measuredClick(page, button(page, /Start client/)));
  if (stepMode) {
    await stepUntil(page, "client", /^loaded$/, samples);
    await stepUntil(page, "server", /^loaded$/, samples);
  }
  await stateWords(page, "client").filter({ hasText: /^loaded$/ }).waitFor();
  await stateWords(page, "server").filter({ hasText: /^loaded$/ }).waitFor();
  await button(page, /Stop server/).click();
  await button(page, /Stop client/).click();
  await stateWords(page, "server").filter({ hasText: "not loaded" }).waitFor();
  await stateWords(page, "client").filter({ hasText: "not loaded" }).waitFor();
}

/** P2: click on a control → the C line it moves painted highlighted, in Chromium. */
export async function clickToHighlight(options: { browser: Browser; distDir: string; port: number; samples: number; warmup: number }): Promise<BenchResult> {
  const app = await startAppProcess(options.port, { STATIC_DIR: options.distDir });
  const context = await options.browser.newContext({ viewport: { width: 1400, height: 1600 } });
  const samples: number[] = [];
  let stepMode = false;
  try {
    const page = await context.newPage();
    await page.addInitScript(probeScript(installClickProbe));
    await page.goto(app.url);
    await page.getByText(/your lab uses port \d+/).waitFor();
    stepMode = await enableStepMode(page);
    const warm: number[] = [];
    while (warm.length < options.warmup) await lesson(page, stepMode, warm);
    while (samples.length < options.samples) await lesson(page, stepMode, samples);
  } finally {
    await context.close();
    await app.stop();
  }
  const p95 = percentile(samples, 95);
  return {
    title: "P2 click to highlight",
    figures: [
      {
        id: "P2",
        name: "click → highlighted C line painted, p50 / p95",
        measured: `${ms(median(samples))} / ${ms(p95)} (${samples.length} clicks, max ${ms(Math.max(...samples))})`,
        target: `p95 ≤ ${P2_TARGET_P95_MS} ms`,
        met: p95 <= P2_TARGET_P95_MS,
      },
    ],
    notes: [
      `Chromium (Debian's, headless, the flags of playwright.config.ts), 1400×1600, the production build served by the app in a child process; ${options.samples}+ clicks after ${options.warmup}+ warm-up clicks, in ${stepMode ? "step mode: Start server, Step server until it blocks in accept, Start client, Step client and Step server until both are loaded, then Stop both (not measured)" : "run mode (the page offered no step-mode control): Start server and Start client are measured, Stop server/client are not"}.`,
      "From the click event's timeStamp (a capture-phase listener on document) to the end of the first frame that painted a change of a listing line's highlight (aria-current or its tone class): a MutationObserver notes the change, and a rAF loop's MessageChannel message marks when that frame's rendering task is done. The app's code carries no instrumentation.",
      "It includes the WebSocket round trip to the server and back, the server's kernel call, the event batching per animation frame and React's render — everything between the person's click and the pixels.",
    ],
  };
}
