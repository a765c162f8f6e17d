import { appendFileSync } from "node:fs";
import { performance } from "node:perf_hooks";

/**
 * REAL_KERNEL_STEP_TRACE=<file>: every stage of a step press (the command in, each gdbstub
 * exchange and its duration, the stops the stepper resumed, the event out) appended to <file>,
 * one line each, stamped in ms. Off (the default), `trace` is a no-op: a debugging aid for where a
 * press's time goes, not a log.
 */
const file = process.env.REAL_KERNEL_STEP_TRACE;

export const stepTraceOn = file !== undefined && file !== "";

export function trace(what: string): void {
  if (!stepTraceOn || !file) return;
  appendFileSync(file, `${(performance.timeOrigin + performance.now()).toFixed(2)} ${what}\n`);
}
