import type { ModuleName, StepId, Variant } from "../../protocol/steps.ts";

/** What a call can do: return this value (0, a byte count, -errno), or block. */
export type PredictedOutcome = number | "blocks";

/**
 * A call where the outcome is the lesson: in step mode, while the module waits before `step`, the
 * lesson asks first. `asks: "call"` is about that call's return; `asks: "init"` about what the
 * module's init returns once it ends (asked before its last call).
 */
export type PredictionPoint = {
  readonly id: "bind" | "connect" | "accept" | "recvmsg" | "init";
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
    module: "server",
    step: "bind",
    asks: "call",
    choices: [0, -98, -22, "blocks"],
    explained: [0, -98],
  },
  {
    id: "connect",
    module: "client",
    step: "connect",
    asks: "call",
    choices: [0, -111, -98, "blocks"],
    explained: [0, -111],
  },
  {
    id: "accept",
    module: "server",
    step: "accept",
    asks: "call",
    choices: [0, -11, -22, "blocks"],
    explained: [0, "blocks"],
  },
  {
    id: "recvmsg",
    module: "server",
    step: "kernel_recvmsg",
    asks: "call",
    choices: [1024, 8, 0, "blocks"],
    explained: [1024, "blocks"],
  },
  {
    id: "init",
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

/** The point to ask at while `module` (running `variant`) waits before `step`, if any. */
export function predictionAt(
  module: ModuleName,
  variant: Variant,
  step: StepId,
): PredictionPoint | undefined {
  return PREDICTIONS.find(
    (point) =>
      point.module === module &&
      point.step === step &&
      (point.variant === undefined || point.variant === variant),
  );
}
