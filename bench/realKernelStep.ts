import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, Page } from "@playwright/test";
import { detectRealKernel } from "../server/realKernel/availability.ts";
import { startAppProcess } from "./appProcess.ts";
import { loadAverage } from "./machine.ts";
import { probeScript } from "./browserProbes.ts";
import type { BenchResult } from "./results.ts";
import { median, ms, percentile } from "./stats.ts";
import { qemuVersionOf } from "./vmProcesses.ts";
import { describeStopKinds, describeStretches, pressStretches } from "./stepTraceBreakdown.ts";

export const P7_TARGET_P95_MS = 150;

type Module = "server" | "client";

/**
 * In the page: click on "Step <module>" → the first frame painted after the listing's lit line
 * (aria-current="step") has moved to another line. The VM resumes, runs the call, stops at its
 * return and at the next call site, and the stepper reads registers and memory before the event leaves.
 */
function installStepProbe(): void {
  type Probe = {
    file: string;
    from: string | null;
    clickAt?: number;
    resolve: (sample: { total: number; arrival: number }) => void;
  };
  let pending: Probe | undefined;
  // When the page last heard from the app: the event that moved the line is the last one before the move.
  let heardAt = 0;
  const Native = window.WebSocket;
  window.WebSocket = class extends Native {
    constructor(...args: ConstructorParameters<typeof WebSocket>) {
      super(...args);
      this.addEventListener("message", (event) => {
        heardAt = event.timeStamp;
      });
    }
  };
  const lit = (file: string) =>
    document.querySelector(`[aria-label="${file}"] [aria-current="step"]`)?.getAttribute("data-line") ?? null;
  const channel = new MessageChannel();
  let painted: Array<(now: number) => void> = [];
  channel.port1.onmessage = () => {
    const now = performance.now();
    for (const done of painted.splice(0)) done(now);
  };
  const check = () => {
    const probe = pending;
    if (!probe || probe.clickAt === undefined) return;
    if (lit(probe.file) === probe.from) return;
    pending = undefined;
    const clickAt = probe.clickAt;
    const arrival = heardAt - clickAt;
    requestAnimationFrame(() => {
      painted.push((now) => probe.resolve({ total: now - clickAt, arrival }));
      channel.port2.postMessage(0);
    });
  };
  new MutationObserver(check).observe(document, {
    subtree: true,
    childList: true,
    attributes: true,
    attributeFilter: ["aria-current"],
  });
  document.addEventListener(
    "click",
    (event) => {
      if (pending && pending.clickAt === undefined) pending.clickAt = event.timeStamp;
    },
    { capture: true },
  );
  (window as unknown as { benchStepProbe: unknown }).benchStepProbe = {
    arm: (file: string) =>
      new Promise<{ total: number; arrival: number }>((resolve) => {
        painted = [];
        pending = { file, from: lit(file), resolve };
      }),
  };
}

function words(page: Page, module: Module) {
  return page.getByRole("region", { name: `${module} module` }).locator(".module-state .state-words");
}

async function pausedBefore(page: Page, module: Module, step: string): Promise<void> {
  // The pause view, not the state words: the fixed server's thread pauses after its init returned.
  await page
    .getByRole("region", { name: `${module}: what the kernel holds` })
    .filter({ hasText: `VM paused before ${step},` })
    .waitFor({ timeout: 120_000 });
}

/** The presses of a run: their times, and those whose next line did not come within 30 s. */
type Presses = {
  samples: number[];
  /** Click → the last message the page heard before the line moved (the rest of a sample is the page's own work). */
  arrivals: number[];
  /** What each press was: its module and the call it leads to. */
  names: string[];
  misses: number;
};

/** Presses Step and times it to the next line lit (the press is measured only when a next pause follows). */
async function measuredStep(page: Page, module: Module, presses: Presses, to: string): Promise<void> {
  await page.evaluate((file) => {
    const w = window as unknown as {
      benchStepProbe: { arm: (file: string) => Promise<{ total: number; arrival: number }> };
      benchSample?: Promise<{ total: number; arrival: number }>;
    };
    w.benchSample = w.benchStepProbe.arm(file);
  }, `${module}.c`);
  await page.getByRole("button", { name: `Step ${module}`, exact: true }).click();
  const sample = await page.evaluate(() => {
    const w = window as unknown as { benchSample: Promise<{ total: number; arrival: number }> };
    const timeout = new Promise<never>((_, reject) =>
      setTimeout(() => reject(new Error("no next line within 30 s")), 30_000),
    );
    return Promise.race([w.benchSample, timeout]).catch(() => undefined);
  });
  if (!sample) presses.misses++;
  else {
    presses.samples.push(sample.total);
    presses.arrivals.push(sample.arrival);
    presses.names.push(`${module} → ${to}`);
  }
}

/**
 * One run in the VM: the fixed server stepped to accept, the client stepped through, the server to
 * its end; then Reset the lab (in step mode the exit functions run without stopping) and the next
 * run in the same VM, as a learner going round again would.
 */
async function round(page: Page, presses: Presses): Promise<void> {
  await page.getByRole("button", { name: /Start server/ }).click();
  await pausedBefore(page, "server", "sock_create_kern");
  for (const next of ["bind", "listen", "kthread_run", "accept"]) {
    await measuredStep(page, "server", presses, next);
    await pausedBefore(page, "server", next);
  }
  // accept blocks until a client connects: that press is not a step round trip.
  await page.getByRole("button", { name: "Step server", exact: true }).click();
  await page.getByRole("button", { name: /Start client/ }).click();
  await pausedBefore(page, "client", "sock_create_kern");
  await measuredStep(page, "client", presses, "connect");
  await pausedBefore(page, "client", "connect");
  await page.getByRole("button", { name: "Continue client", exact: true }).click();
  await pausedBefore(page, "server", "kernel_recvmsg");
  await measuredStep(page, "server", presses, "sock_release_conn");
  await pausedBefore(page, "server", "sock_release_conn");
  await page.getByRole("button", { name: "Continue server", exact: true }).click();
  await words(page, "client")
    .filter({ hasText: /^loaded$/ })
    .waitFor({ timeout: 120_000 });
  await page.getByRole("button", { name: "Reset the lab" }).click();
  for (const module of ["server", "client"] as const)
    await words(page, module).filter({ hasText: "not loaded" }).waitFor({ timeout: 120_000 });
}

/** P7: press Step on the real kernel (QEMU TCG, gdbstub) → the next C line lit, in Chromium. */
export async function realKernelStep(options: {
  browser: Browser;
  distDir: string;
  port: number;
  rounds: number;
}): Promise<BenchResult> {
  const title = "P7 real kernel step round trip";
  const availability = detectRealKernel();
  if (!availability.ok) {
    return { title, figures: [], notes: [`not measured: the real-kernel engine is not installed here`] };
  }
  // The app traces each press's stages (REAL_KERNEL_STEP_TRACE): the bench says where the time goes.
  const loadBefore = loadAverage();
  const traceDir = mkdtempSync(join(tmpdir(), "bench-p7-"));
  const traceFile = join(traceDir, "step-trace.log");
  const app = await startAppProcess(options.port, {
    STATIC_DIR: options.distDir,
    REAL_KERNEL_STEP_TRACE: traceFile,
  });
  const context = await options.browser.newContext({ viewport: { width: 1400, height: 1600 } });
  const presses: Presses = { samples: [], arrivals: [], names: [], misses: 0 };
  let qemu: string | undefined;
  const samples = presses.samples;
  try {
    const page = await context.newPage();
    await page.addInitScript(probeScript(installStepProbe));
    await page.goto(`${app.url}/?pace=instant`);
    await page.getByText(/your lab uses port \d+/).waitFor();
    await page.getByRole("button", { name: /Fixed/ }).click();
    await page.getByRole("button", { name: /Real kernel/ }).click();
    await page
      .getByText(
        /Real kernel( [\d.]+-\S+)?: (ready to boot a VM|building the modules|booting the VM|VM running)/,
      )
      .waitFor({ timeout: 120_000 });
    await page.getByRole("button", { name: "Step mode", exact: true }).click();
    for (let i = 0; i < options.rounds; i++) await round(page, presses);
    qemu = qemuVersionOf(app.pid);
  } finally {
    await context.close();
    await app.stop();
  }
  const p95 = percentile(samples, 95);
  const loadAfter = loadAverage();
  // Each sample split where the page last heard from the app before the line moved: before it the
  // app and the VM (and the WebSocket both ways), after it the page alone (React, layout, paint).
  const gaps = samples.map((total, i) => total - (presses.arrivals[i] ?? 0));
  const over = samples.flatMap((total, i) => (total > P7_TARGET_P95_MS ? [i] : []));
  const slow =
    over.length === 0
      ? "none"
      : `${over.length}: ${over.map((i) => `${presses.names[i]} heard after ${ms(presses.arrivals[i] ?? 0)}, painted ${ms(gaps[i] ?? 0)} later`).join("; ")}`;
  const stretches = existsSync(traceFile) ? pressStretches(traceFile) : undefined;
  const where = stretches ? describeStretches(stretches) : "no trace written";
  const kinds = stretches ? describeStopKinds(stretches, stretches.length, "a press") : "no trace written";
  rmSync(traceDir, { recursive: true, force: true });
  return {
    title,
    figures: [
      {
        id: "P7",
        name: "real kernel: press Step → next C line lit, p50 / p95",
        measured: `${ms(median(samples))} / ${ms(p95)} (${samples.length} presses in ${options.rounds} runs of one VM, max ${ms(Math.max(...samples))}; load average ${loadBefore} before, ${loadAfter} after)`,
        target: `p95 ≤ ${P7_TARGET_P95_MS} ms`,
        met: p95 <= P7_TARGET_P95_MS,
      },
      {
        id: "P7",
        name: "real kernel: presses whose next line did not come within 30 s",
        measured: `${presses.misses} of ${samples.length + presses.misses}`,
        target: "0",
        met: presses.misses === 0,
      },
    ],
    notes: [
      `Debian's 6.1 cloud kernel under ${qemu ?? "QEMU"} with TCG (no KVM), -smp 1, the fixed pair in step mode: each press resumes the VM through the gdbstub (UNIX socket), the call runs, the guest stops at the breakpoint on the module's next call instruction on a step line, the stepper reads its registers, jiffies and the struct socket, and the page paints the next line.`,
      "Presses that start a call which blocks (accept before a client exists) are not counted: their next line waits for the learner's next action.",
      `Stops by kind: ${kinds}.`,
      `Where a press's time goes (the app's REAL_KERNEL_STEP_TRACE, from the press's command to the next pause's event; the rest of a sample is the WebSocket and the page's render): ${where}.`,
      `In the page: click → the last message heard before the line moved p50 ${ms(median(presses.arrivals))} / p95 ${ms(percentile(presses.arrivals, 95))}; from it to the line painted (the page's own work) p50 ${ms(median(gaps))} / p95 ${ms(percentile(gaps, 95))}. The presses over ${P7_TARGET_P95_MS} ms: ${slow}.`,
      `One VM for all ${options.rounds} runs: each run ends with Reset the lab, which in step mode runs the exit functions without stopping.`,
    ],
  };
}
