import { readFileSync } from "node:fs";
import { median, ms } from "./stats.ts";

/** One stretch of the app's REAL_KERNEL_STEP_TRACE between two marks: where its time went. */
export type Stretch = {
  /** From the first mark to the last event of the stretch, on the app's side. */
  totalMs: number;
  /** `c`/`s` requests: the guest running between stops (and QEMU stopping and starting it). */
  guestMs: number;
  /** Every other gdbstub request: register and memory reads and writes, breakpoints. */
  stubMs: number;
  stops: number;
  requests: number;
  /**
   * Stops at a breakpoint (QEMU 7.2 flushes TCG's whole translation cache at each: the guest's code
   * is translated afresh after it) and at a watchpoint (a call's return; no flush).
   */
  breakpointStops: number;
  watchpointStops: number;
  /** The guest's runs (`c` to the next stop) that began at a breakpoint stop, and at a watchpoint stop, in ms. */
  runsAfterBreakpoint: number[];
  runsAfterWatchpoint: number[];
};

type Line = { at: number; what: string };

function lines(file: string): Line[] {
  return readFileSync(file, "utf8")
    .split("\n")
    .filter(Boolean)
    .map((line) => {
      const space = line.indexOf(" ");
      return { at: Number(line.slice(0, space)), what: line.slice(space + 1) };
    });
}

function measure(part: Line[]): Stretch {
  const stretch: Stretch = {
    totalMs: 0,
    guestMs: 0,
    stubMs: 0,
    stops: 0,
    requests: 0,
    breakpointStops: 0,
    watchpointStops: 0,
    runsAfterBreakpoint: [],
    runsAfterWatchpoint: [],
  };
  let lastStop: "breakpoint" | "watchpoint" | undefined;
  const first = part[0];
  const last = part.at(-1);
  if (!first || !last) return stretch;
  stretch.totalMs = last.at - first.at;
  for (const { what } of part) {
    if (what.startsWith("stop at")) {
      stretch.stops++;
      lastStop = what.endsWith("(watchpoint)") ? "watchpoint" : "breakpoint";
      if (lastStop === "watchpoint") stretch.watchpointStops++;
      else stretch.breakpointStops++;
    }
    const request = /^rsp (\S+) ([\d.]+) ms/.exec(what);
    if (!request) continue;
    stretch.requests++;
    const packet = request[1] as string;
    const took = Number(request[2]);
    if (packet === "s" || packet.startsWith("c")) {
      stretch.guestMs += took;
      if (lastStop === "watchpoint") stretch.runsAfterWatchpoint.push(took);
      else if (lastStop === "breakpoint") stretch.runsAfterBreakpoint.push(took);
    } else stretch.stubMs += took;
  }
  return stretch;
}

/** Step mode: each press, from "press step" to the next pause's event. */
export function pressStretches(file: string): Stretch[] {
  const all = lines(file);
  const stretches: Stretch[] = [];
  for (let i = 0; i < all.length; i++) {
    if (!all[i]?.what.startsWith("press step")) continue;
    const end = all.findIndex((l, j) => j > i && l.what.startsWith("emit waiting"));
    if (end < 0) break;
    stretches.push(measure(all.slice(i, end + 1)));
  }
  return stretches;
}

/** Tracing: the whole trace, one stretch (every stop of every traced run). */
export function wholeTrace(file: string): Stretch {
  return measure(lines(file));
}

/** "median 80 ms on the app's side: guest running 52 ms, 3.1 stub requests 4 ms …" */
export function describeStretches(stretches: Stretch[]): string {
  const pick = (f: (s: Stretch) => number) => median(stretches.map(f));
  return `app side median ${ms(pick((s) => s.totalMs))}: the guest running (c) ${ms(pick((s) => s.guestMs))}, ${pick((s) => s.requests).toFixed(0)} gdbstub requests ${ms(pick((s) => s.stubMs))} (median over ${stretches.length} presses; ${pick((s) => s.stops).toFixed(0)} stops a press)`;
}

/**
 * "12 breakpoint stops (the guest's next run: median 80 ms) and 13 watchpoint stops (median 9 ms)":
 * what the translation cache's flush at each breakpoint stop costs the guest's run after it.
 */
export function describeStopKinds(stretches: Stretch[], per: number, unit: string): string {
  const sum = (f: (s: Stretch) => number) => stretches.reduce((total, s) => total + f(s), 0);
  const after = (f: (s: Stretch) => number[]) => stretches.flatMap(f);
  const runs = (list: number[]) => (list.length ? `median ${ms(median(list))}` : "none");
  return `${(sum((s) => s.breakpointStops) / per).toFixed(1)} breakpoint stops ${unit} (the guest's run after each: ${runs(after((s) => s.runsAfterBreakpoint))}; QEMU 7.2 flushes TCG's translation cache at each, the QEMU 11.1 unpacked into .cache/qemu does not) and ${(sum((s) => s.watchpointStops) / per).toFixed(1)} watchpoint stops ${unit} (a call's return; the run after each: ${runs(after((s) => s.runsAfterWatchpoint))})`;
}
