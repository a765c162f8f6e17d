import { ALL_STEP_IDS, MODULES, type ModuleName, type StepId } from "../../shared/protocol/steps.ts";

/**
 * The gate's clock inside strace's own stream: at each step's enter and exit the traced worker
 * makes one access() of a path that cannot exist, naming the module, the call, the phase and the
 * event's `t`. strace prints it in order with the lab's own calls, so a line is placed between the
 * markers around it — no clock is compared across processes.
 */
export const MARKER_ROOT = "/.kernel-socket-lab-step";

export type StepMarker = { module: ModuleName; step: StepId; phase: "enter" | "exit"; t: number };

export function markerPath(marker: StepMarker): string {
  return `${MARKER_ROOT}/${marker.module}/${marker.step}/${marker.phase}/${marker.t}`;
}

const MARKER = new RegExp(
  `^"${MARKER_ROOT.replace(/\./g, "\\.")}/([a-z]+)/([a-z_]+)/(enter|exit)/([0-9.e-]+)"`,
);

/** The marker an access()/faccessat() line's arguments carry, if it is one. */
export function readMarker(name: string, args: string): StepMarker | undefined {
  if (!name.includes("access")) return undefined;
  // faccessat(AT_FDCWD, "…", F_OK): the path is the first quoted argument.
  const quoted = args.slice(args.indexOf('"'));
  const match = MARKER.exec(quoted);
  if (!match) return undefined;
  const module = MODULES.find((m) => m === match[1]);
  const step = ALL_STEP_IDS.find((s) => s === match[2]);
  const t = Number(match[4]);
  if (!module || !step || !Number.isFinite(t)) return undefined;
  return { module, step, phase: match[3] === "enter" ? "enter" : "exit", t };
}

/** The lab's `t` as the worker sends it and marks it: whole microseconds, the same number on both sides. */
export function markerTime(t: number): number {
  return Math.round(t * 1e6) / 1e6;
}
