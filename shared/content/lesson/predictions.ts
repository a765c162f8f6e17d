import type { ModuleName, StepId, Variant } from "../../protocol/steps.ts";
import type { LessonStepId } from "./lessonSteps.ts";

/** What a call can do: return this value (0, a byte count, -errno), or block. */
export type PredictedOutcome = number | "blocks";

/**
 * A call where the outcome is the lesson: in step mode, on its lesson step, while the module waits
 * before `step`, the lesson asks first. `asks: "call"` is about that call's return; `asks: "init"` about what the
 * module's init returns once it ends (asked before its last call).
 */
export type PredictionPoint = {
  readonly id: "bind" | "connect" | "accept" | "recvmsg" | "init";
  /**
   * The lesson step whose point the question makes: it is asked there only, so a question of
   * another step is never left open in front of this one's (step 11 is about connect, not accept).
   */
  readonly lessonStep: LessonStepId;
  /** The question has a sentence that sets it up (`predict.lead.<id>`), said before it. */
  readonly lead?: boolean;
  readonly module: ModuleName;
  readonly step: StepId;
  /** Only for this listing (the published init's return is the point; the fixed one returns 0). */
  readonly variant?: Variant;
  readonly asks: "call" | "init";
  readonly choices: readonly PredictedOutcome[];
  /** The outcomes that have a sentence of their own on why (`predict.why.<id>.<outcome>`). */
  readonly explained: readonly PredictedOutcome[];
};

export const PREDICTIONS: readonly PredictionPoint[] = [
  {
    id: "bind",
    lessonStep: "step-mode",
    module: "server",
    step: "bind",
    asks: "call",
    choices: [0, -98, -22, "blocks"],
    explained: [0, -98],
  },
  {
    id: "connect",
    lessonStep: "step-mode",
    lead: true,
    module: "client",
    step: "connect",
    asks: "call",
    choices: [0, -111, -98, "blocks"],
    explained: [0, -111],
  },
  {
    id: "accept",
    lessonStep: "accept-queue",
    module: "server",
    step: "accept",
    asks: "call",
    choices: [0, -11, -22, "blocks"],
    explained: [0, "blocks"],
  },
  {
    id: "recvmsg",
    lessonStep: "accept-queue",
    module: "server",
    step: "kernel_recvmsg",
    asks: "call",
    choices: [1024, 8, 0, "blocks"],
    explained: [1024, "blocks"],
  },
  {
    id: "init",
    lessonStep: "accept-queue",
    module: "server",
    step: "sock_release_conn",
    variant: "published",
    asks: "init",
    choices: [0, 1024, -22],
    explained: [1024],
  },
];

/** The names of the errnos the choices offer (Linux x86/generic numbers, include/uapi/asm-generic/errno*.h). */
export const CHOICE_ERRNO_NAMES: Readonly<Record<number, string>> = {
  11: "EAGAIN",
  22: "EINVAL",
  98: "EADDRINUSE",
  111: "ECONNREFUSED",
};

/**
 * The point to ask at while `module` (running `variant`) waits before `step`, if any; with
 * `lessonStep`, only a point that lesson step asks.
 */
export function predictionAt(
  module: ModuleName,
  variant: Variant,
  step: StepId,
  lessonStep?: LessonStepId,
): PredictionPoint | undefined {
  return PREDICTIONS.find(
    (point) =>
      point.module === module &&
      point.step === step &&
      (point.variant === undefined || point.variant === variant) &&
      (lessonStep === undefined || point.lessonStep === lessonStep),
  );
}
