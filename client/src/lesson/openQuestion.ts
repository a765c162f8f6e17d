import type { LessonStepId } from "../../../shared/content/lesson/lessonSteps.ts";
import { type PredictionPoint, predictionAt } from "../../../shared/content/lesson/predictions.ts";
import type { LabEvent } from "../../../shared/protocol/messages.ts";
import { MODULES } from "../../../shared/protocol/steps.ts";
import { moduleView } from "../connection/labView.ts";
import type { PredictionRound } from "./predictionRounds.ts";

/** A question to ask now: its point, and the step.waiting event (the pause) it is asked at. */
export type OpenQuestion = { point: PredictionPoint; waitingSeq: number };

/**
 * The question the lesson asks now: among the modules held before a call that `lessonStep` asks
 * about, and not yet answered at that pause, the one held most recently. A question of another
 * lesson step is not asked, and an older pause left unanswered (the learner moved the other
 * module on) gives way to the newer one: the call the learner is about to run is the one asked.
 */
export function openQuestion(
  events: readonly LabEvent[],
  lessonStep: LessonStepId,
  rounds: readonly PredictionRound[],
): OpenQuestion | undefined {
  let open: OpenQuestion | undefined;
  for (const module of MODULES) {
    const current = moduleView(events, module).current;
    if (current?.phase !== "waiting") continue;
    const point = predictionAt(module, current.variant, current.step, lessonStep);
    const waitingSeq = lastWaiting(events, module);
    if (!point || waitingSeq === undefined) continue;
    if (rounds.some((round) => round.waitingSeq === waitingSeq)) continue;
    if (!open || waitingSeq > open.waitingSeq) open = { point, waitingSeq };
  }
  return open;
}

/** The last answered question of this lesson step: a verdict is shown on its own step only. */
export function latestOfStep(
  rounds: readonly PredictionRound[],
  lessonStep: LessonStepId,
): PredictionRound | undefined {
  return rounds.findLast((round) => round.point.lessonStep === lessonStep);
}

function lastWaiting(events: readonly LabEvent[], module: string): number | undefined {
  for (let i = events.length - 1; i >= 0; i--) {
    const event = events[i] as LabEvent;
    if (event.type === "step.waiting" && event.module === module) return event.seq;
  }
  return undefined;
}
