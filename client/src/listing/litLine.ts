import type { ModuleName, Variant } from "../../../shared/protocol/steps.ts";
import type { DisplayState } from "../clock/displayClock.ts";
import type { CurrentStep, ModuleView } from "../connection/labView.ts";
import type { Side } from "./compareSides.ts";

export type LineTone = "ok" | "error" | "waiting" | "running";

/**
 * Which listing a line is drawn in, so that it reads from the display whether it is lit: one side of
 * a module's listing in a variant, or the C of the learner's own build (its lines are the build's,
 * from its DWARF; it has no TS twin).
 */
export type LitSource = { module: ModuleName; side: Side } & ({ variant: Variant } | { build: number });

/** The module's call at the moment shown, if it runs in that listing (another listing's call lights nothing). */
export function litCall(state: DisplayState, source: LitSource): CurrentStep | undefined {
  const view = state.moment.modules[source.module];
  if ("build" in source) return view.learnerBuild === source.build ? view.current : undefined;
  return view.current?.variant === source.variant ? view.current : undefined;
}

/** The listing's lit line at the moment shown: its side's line of the module's call. */
export function litLineOf(state: DisplayState, source: LitSource): number | undefined {
  const current = litCall(state, source);
  return source.side === "c" ? current?.cLine : current?.tsLine;
}

/**
 * The tone of `line` when it is the listing's lit line, else undefined: a lit line always has one,
 * so one read tells a line both whether it is lit and how (a step redraws only the lines it changes).
 */
export function litToneOf(state: DisplayState, source: LitSource, line: number): LineTone | undefined {
  return litLineOf(state, source) === line ? toneOf(state.moment.modules[source.module]) : undefined;
}

/** The line whose printk printed last, in the listing the module runs only. */
export function printedLineOf(state: DisplayState, source: LitSource): number | undefined {
  const view = state.moment.modules[source.module];
  const runs = "build" in source ? view.learnerBuild === source.build : view.variant === source.variant;
  if (!runs) return undefined;
  const lines = state.moment.printed[source.module];
  return source.side === "c" ? lines?.cLine : lines?.tsLine;
}

/** The tone of a module's lit line: held by step mode, in its call, or returned (failed or not). */
export function toneOf(view: ModuleView): LineTone | undefined {
  const current = view.current;
  if (!current) return undefined;
  if (current.phase === "waiting") return "waiting";
  if (current.phase === "running") return "running";
  return current.result !== null && current.result < 0 ? "error" : "ok";
}
