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
  const stretch: Stretch = { totalMs: 0, guestMs: 0, stubMs: 0, stops: 0, requests: 0 };
  const first = part[0];
  const last = part.at(-1);
  if (!first || !last) return stretch;
  stretch.totalMs = last.at - first.at;
  for (const { what } of part) {
    if (what.startsWith("stop at")) stretch.stops++;
    const request = /^rsp (\S+) ([\d.]+) ms/.exec(what);
    if (!request) continue;
    stretch.requests++;
    const packet = request[1] as string;
    const took = Number(request[2]);
    if (packet === "s" || packet.startsWith("c")) stretch.guestMs += took;
    else stretch.stubMs += took;
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
