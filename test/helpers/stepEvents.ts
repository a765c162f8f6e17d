import type { ServerEvent, ServerEventOf } from "../../shared/protocol/messages.ts";
import type { ModuleName, StepId } from "../../shared/protocol/steps.ts";

/** The three moments of a step: its call entered or returned, or (step mode) held before it. */
export type StepPhase = "enter" | "exit" | "waiting";

export type StepEventOf<P extends StepPhase> = P extends "waiting"
  ? ServerEventOf<"step.waiting">
  : ServerEventOf<"step">;

/** Matches one moment of one module's step: `isStep("server", "accept", "enter")`. */
export function isStep<P extends StepPhase>(
  module: ModuleName,
  step: StepId,
  phase: P,
): (e: ServerEvent) => e is StepEventOf<P> {
  return (e: ServerEvent): e is StepEventOf<P> =>
    phase === "waiting"
      ? e.type === "step.waiting" && e.module === module && e.step === step
      : e.type === "step" && e.module === module && e.step === step && e.phase === phase;
}
