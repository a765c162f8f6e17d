import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { startAppProcess } from "./appProcess.ts";
import { loadAverage } from "./machine.ts";
import { RealKernelTab } from "./realKernelTab.ts";
import type { BenchResult } from "./results.ts";
import { median, ms, percentile } from "./stats.ts";
import { qemuVersionOf } from "./vmProcesses.ts";
import { describeStopKinds, wholeTrace } from "./stepTraceBreakdown.ts";

/** Tracing may cost a run at most this much more than the same run without a debugger. */
export const P12_OVERHEAD_TARGET = 0.3;

/**
 * One fixed pair, start to finish, in a booted VM: Start server → live, Start client → the server's
 * kernel_recvmsg record, Stop client, Stop server → unloaded. Wall time in ms, from the tab.
 */
async function fixedPair(tab: RealKernelTab): Promise<number> {
  const t0 = performance.now();
  const step = async (
    command: Parameters<RealKernelTab["send"]>[0],
    done: Parameters<RealKernelTab["waitFor"]>[0],
  ) => {
    const from = tab.arrivals.length;
    tab.send(command);
    await tab.waitFor(done, 120_000, from);
  };
  await step(
    { type: "module.load", module: "server" },
    (e) => e.type === "module.state" && e.module === "server" && e.state === "live",
  );
  await step(
    { type: "module.load", module: "client" },
    (e) => e.type === "printk" && e.source === "server" && e.text.startsWith("server: receive message"),
  );
  await tab.waitFor((e) => e.type === "module.state" && e.module === "client" && e.state === "live", 120_000);
  await step(
    { type: "module.unload", module: "client" },
    (e) => e.type === "module.state" && e.module === "client" && e.state === "unloaded",
  );
  await step(
    { type: "module.unload", module: "server" },
    (e) => e.type === "module.state" && e.module === "server" && e.state === "unloaded",
  );
  return performance.now() - t0;
}

/**
 * How a run is traced: not at all, by the call-tracer plugin without the call view's argument
 * reads, by the plugin with them (the app's default), or through the gdbstub's breakpoints alone
 * (what step mode uses, and what tracing was before the plugin).
 */
type Tracing = "off" | "no-call-view" | "on" | "gdbstub";
const TRACING_ENV: Record<Tracing, Record<string, string>> = {
  off: { REAL_KERNEL_TRACE: "off" },
  "no-call-view": { REAL_KERNEL_CALL_VIEW: "off" },
  on: {},
  gdbstub: { REAL_KERNEL_CALL_TRACER: "off" },
};

/** The QEMU each kind of run ran (read from its VM's binary). */
const qemus = new Set<string>();

async function runs(port: number, tracing: Tracing, count: number, traceFile: string): Promise<number[]> {
  // Traced runs write their gdbstub requests to one file: where tracing's time goes.
  const env =
    tracing === "off" ? TRACING_ENV.off : { ...TRACING_ENV[tracing], REAL_KERNEL_STEP_TRACE: traceFile };
  const app = await startAppProcess(port, env);
  try {
    const tab = await RealKernelTab.open(app.url);
    await tab.realKernel("fixed", true);
    // One untimed run: the guest's page cache, the stepper's attach and the .ko's line table.
    await fixedPair(tab);
    const samples: number[] = [];
    for (let i = 0; i < count; i++) samples.push(await fixedPair(tab));
    const qemu = qemuVersionOf(app.pid);
    if (qemu) qemus.add(qemu);
    await tab.close();
    return samples;
  } finally {
    await app.stop();
  }
}

/**
 * P12: what tracing every real-kernel run costs. The fixed pair run to the end, again and again in
 * one booted VM: traced (every call's enter and exit, with its arguments, from the call-tracer
 * plugin in QEMU) and, in other apps of the same build, with REAL_KERNEL_TRACE=off (no debugger,
 * no plugin), and traced through the gdbstub's breakpoints alone (REAL_KERNEL_CALL_TRACER=off).
 */
export async function realKernelTracing(options: { port: number; rounds: number }): Promise<BenchResult> {
  const untraced: number[] = [];
  const traced: number[] = [];
  const withoutCallView: number[] = [];
  const byGdbstub: number[] = [];
  const loads: string[] = [];
  const loadBefore = loadAverage();
  const traceDir = mkdtempSync(join(tmpdir(), "bench-p12-"));
  const traceFile = join(traceDir, "step-trace.log");
  const gdbstubTraceFile = join(traceDir, "gdbstub-trace.log");
  // Alternated, so the machine's load falls on both alike.
  for (let i = 0; i < 2; i++) {
    untraced.push(...(await runs(options.port, "off", options.rounds, traceFile)));
    withoutCallView.push(...(await runs(options.port, "no-call-view", options.rounds, traceFile)));
    traced.push(...(await runs(options.port, "on", options.rounds, traceFile)));
    byGdbstub.push(...(await runs(options.port, "gdbstub", options.rounds, gdbstubTraceFile)));
    loads.push(loadAverage());
  }
  // Every traced run's gdbstub requests (the untimed first runs too): what tracing asks of the stub.
  // Both traced kinds (with and without the call view) write to it: two VMs each.
  const tracedRuns = 2 * 2 * (options.rounds + 1);
  const whole = existsSync(traceFile) ? wholeTrace(traceFile) : undefined;
  const wholeGdbstub = existsSync(gdbstubTraceFile) ? wholeTrace(gdbstubTraceFile) : undefined;
  rmSync(traceDir, { recursive: true, force: true });
  const gdbstubRuns = 2 * (options.rounds + 1);
  const gdbstubStops = wholeGdbstub ? (wholeGdbstub.stops / gdbstubRuns).toFixed(0) : "?";
  const perRun = whole
    ? `${(whole.stops / tracedRuns).toFixed(0)} stops and ${(whole.requests / tracedRuns).toFixed(0)} gdbstub requests a run besides the resumes, ${ms(whole.stubMs / tracedRuns)} a run waiting for their answers (REAL_KERNEL_STEP_TRACE)`
    : "no trace written";
  const kinds = whole ? describeStopKinds([whole], tracedRuns, "a run") : "no trace written";
  const overhead = median(traced) / median(untraced) - 1;
  const gdbstubOverhead = median(byGdbstub) / median(untraced) - 1;
  const callView = median(traced) / median(withoutCallView) - 1;
  const range = (s: number[]) => `median ${ms(median(s))}, p95 ${ms(percentile(s, 95))}, n=${s.length}`;
  return {
    title: "P12 real kernel: tracing every run",
    figures: [
      {
        id: "P12",
        name: "fixed pair, untraced (REAL_KERNEL_TRACE=off)",
        measured: range(untraced),
        target: "—",
      },
      {
        id: "P12",
        name: "fixed pair, traced without the call view's reads (REAL_KERNEL_CALL_VIEW=off)",
        measured: range(withoutCallView),
        target: "—",
      },
      {
        id: "P12",
        name: "the call view's reads (median traced / traced without them − 1)",
        measured: `${(callView * 100).toFixed(0)} %`,
        target: "—",
      },
      {
        id: "P12",
        name: "fixed pair, traced (every call's enter and exit)",
        measured: range(traced),
        target: "—",
      },
      {
        id: "P12",
        name: "fixed pair, traced through the gdbstub alone (REAL_KERNEL_CALL_TRACER=off: a stop at each call and return)",
        measured: `${range(byGdbstub)}; overhead ${(gdbstubOverhead * 100).toFixed(0)} %, ${gdbstubStops} VM stops a run`,
        target: "—",
      },
      {
        id: "P12",
        name: "tracing overhead (median traced / untraced − 1)",
        measured: `${(overhead * 100).toFixed(0)} % (load average ${loadBefore} before, ${loads.at(-1)} after)`,
        target: `< ${P12_OVERHEAD_TARGET * 100} %`,
        met: overhead < P12_OVERHEAD_TARGET,
      },
    ],
    notes: [
      `The VMs ran ${[...qemus].join("; ") || "an unknown QEMU"} (TCG).`,
      "A run: Start server → live, Start client → the server's receive record, Stop client, Stop server → unloaded (13 calls, each an enter and an exit), timed in the tab from the first command to the last state; one untimed run first in each VM.",
      "Traced: the call-tracer plugin (server/realKernel/callTracer/callTracer.c) copies each call's registers and the memory its pointer arguments point to at the call and at its return, without stopping the VM; the gdbstub stops it only at each insmod's do_init_module, to place the module's call sites.",
      "The call view's reads: at each call the arguments' structs (socket, sockaddr_in, msghdr, kvec) decoded from that memory; at the return the socket, *res and msghdr again, and the received bytes.",
      `Untraced, traced without the call view, traced, and traced through the gdbstub alone in turn, ${options.rounds} runs a VM, two VMs each. Load average before: ${loadBefore}; after each round: ${loads.join(", ")}.`,
      `Stops by kind (traced runs): ${kinds}.`,
      `The gdbstub's part in the traced runs: ${perRun}.`,
    ],
  };
}
