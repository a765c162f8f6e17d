import { useEffect, useMemo, useState } from "react";
import type { LessonStepId } from "../../../shared/content/lesson/lessonSteps.ts";
import type { PredictedOutcome } from "../../../shared/content/lesson/predictions.ts";
import type { LabEvent } from "../../../shared/protocol/messages.ts";
import type { ModuleName } from "../../../shared/protocol/steps.ts";
import { latestOfStep, type OpenQuestion, openQuestion } from "./openQuestion.ts";
import {
  BLOCKED_AFTER_MS,
  newestSeq,
  type PredictionRound,
  roundOutcome,
  settleRounds,
  tally,
} from "./predictionRounds.ts";

export type Predictions = {
  /** The question open now: a module paused before a call whose outcome is this lesson step's point. */
  asking: OpenQuestion | undefined;
  /** This lesson step's last answered question, to show beside its real outcome. */
  latest: PredictionRound | undefined;
  tally: { right: number; total: number };
  /** Locks the answer in, then runs the real call (step.next of that module). */
  choose: (choice: PredictedOutcome) => void;
};

/**
 * Predict, then run: in step mode, at the calls listed in PREDICTIONS, on the lesson step each
 * belongs to, the learner answers first. The answer only is recorded; the call runs for real and
 * its result decides the verdict.
 */
export function usePredictions(
  events: readonly LabEvent[],
  stepMode: boolean,
  step: (module: ModuleName) => void,
  lessonStep: LessonStepId,
): Predictions {
  const [rounds, setRounds] = useState<PredictionRound[]>([]);
  const asking = useMemo(
    () => (stepMode ? openQuestion(events, lessonStep, rounds) : undefined),
    [events, stepMode, rounds, lessonStep],
  );

  // A decided verdict is kept in its round: the record drops old runs, and with them its events.
  useEffect(() => {
    setRounds((all) => settleRounds(all, events));
  }, [events]);

  const last = rounds.at(-1);
  const outcome = last ? roundOutcome(last, events) : undefined;
  const runningUndecided = outcome !== undefined && !outcome.decided && outcome.running;
  // A call that entered and has not returned after a while blocked: say so rather than wait for ever.
  useEffect(() => {
    if (!last || !runningUndecided) return;
    const timer = setTimeout(() => {
      setRounds((all) => all.map((round) => (round === last ? { ...round, blocked: true } : round)));
    }, BLOCKED_AFTER_MS);
    return () => clearTimeout(timer);
  }, [last, runningUndecided]);

  return {
    asking,
    latest: latestOfStep(rounds, lessonStep),
    tally: useMemo(() => tally(rounds, events), [rounds, events]),
    choose: (choice) => {
      if (!asking) return;
      setRounds((all) => [...all, { ...asking, choice, afterSeq: newestSeq(events) }]);
      step(asking.point.module);
    },
  };
}
