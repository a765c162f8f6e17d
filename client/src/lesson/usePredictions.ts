import { useEffect, useMemo, useState } from "react";
import {
  type PredictedOutcome,
  type PredictionPoint,
  predictionAt,
} from "../../../shared/content/lesson/predictions.ts";
import type { LabEvent } from "../../../shared/protocol/messages.ts";
import { MODULES, type ModuleName } from "../../../shared/protocol/steps.ts";
import { moduleView } from "../connection/labView.ts";
import {
  BLOCKED_AFTER_MS,
  newestSeq,
  type PredictionRound,
  roundOutcome,
  settleRounds,
  tally,
} from "./predictionRounds.ts";

export type Predictions = {
  /** The question open now: a module paused before a call whose outcome is the lesson. */
  asking: { point: PredictionPoint; waitingSeq: number } | undefined;
  /** The last answered question, to show beside its real outcome. */
  latest: PredictionRound | undefined;
  tally: { right: number; total: number };
  /** Locks the answer in, then runs the real call (step.next of that module). */
  choose: (choice: PredictedOutcome) => void;
};

/**
 * Predict, then run: in step mode, at the calls listed in PREDICTIONS, the learner answers first.
 * The answer only is recorded; the call runs for real and its result decides the verdict.
 */
export function usePredictions(
  events: readonly LabEvent[],
  stepMode: boolean,
  step: (module: ModuleName) => void,
): Predictions {
  const [rounds, setRounds] = useState<PredictionRound[]>([]);
  const asking = useMemo(() => {
    if (!stepMode) return undefined;
    for (const module of MODULES) {
      const current = moduleView(events, module).current;
      if (current?.phase !== "waiting") continue;
      const point = predictionAt(module, current.variant, current.step);
      const waitingSeq = lastWaiting(events, module);
      if (!point || waitingSeq === undefined) continue;
      if (rounds.some((round) => round.waitingSeq === waitingSeq)) continue;
      return { point, waitingSeq };
    }
    return undefined;
  }, [events, stepMode, rounds]);

  // A decided verdict is kept in its round: the record drops old runs, and with them its events.
  useEffect(() => {
    setRounds((all) => settleRounds(all, events));
  }, [events]);

  const latest = rounds.at(-1);
  const outcome = latest ? roundOutcome(latest, events) : undefined;
  const runningUndecided = outcome !== undefined && !outcome.decided && outcome.running;
  // A call that entered and has not returned after a while blocked: say so rather than wait for ever.
  useEffect(() => {
    if (!latest || !runningUndecided) return;
    const timer = setTimeout(() => {
      setRounds((all) => all.map((round) => (round === latest ? { ...round, blocked: true } : round)));
    }, BLOCKED_AFTER_MS);
    return () => clearTimeout(timer);
  }, [latest, runningUndecided]);

  return {
    asking,
    latest,
    tally: useMemo(() => tally(rounds, events), [rounds, events]),
    choose: (choice) => {
      if (!asking) return;
      setRounds((all) => [...all, { ...asking, choice, afterSeq: newestSeq(events) }]);
      step(asking.point.module);
    },
  };
}

function lastWaiting(events: readonly LabEvent[], module: ModuleName): number | undefined {
  for (let i = events.length - 1; i >= 0; i--) {
    const event = events[i] as LabEvent;
    if (event.type === "step.waiting" && event.module === module) return event.seq;
  }
  return undefined;
}
