import type { PredictedOutcome, PredictionPoint } from "../../../shared/content/lesson/predictions.ts";
import type { LabEvent } from "../../../shared/protocol/messages.ts";

/** One question asked: the learner's locked-in answer and where in the events the real call begins. */
export type PredictionRound = {
  point: PredictionPoint;
  /** The step.waiting event the question was asked at (one question per pause). */
  waitingSeq: number;
  choice: PredictedOutcome;
  /**
   * The seq of the newest event when the answer was locked in: the real outcome is searched in the
   * events after it. A seq, not a position in the kept list: that list drops its oldest run past
   * KEEP_RUNS, which shifts every position, while an event's seq stays its own.
   */
  afterSeq: number;
  /** Set once the call had been running a while with no return: it blocked. */
  blocked?: boolean;
  /** The verdict once decided, kept: the record may later drop the run that decided it. */
  settled?: { outcome: PredictedOutcome; errno?: string };
};

/** A call that has not returned within this long blocked (it waits for something to happen). */
export const BLOCKED_AFTER_MS = 800;

export type RoundOutcome =
  /** The call (or init) has not finished: running says it entered. */
  { decided: false; running: boolean } | { decided: true; outcome: PredictedOutcome; errno?: string };

/**
 * The real outcome of a round, from the lab's events: the call's return value, "blocks" when it
 * waited (no return within BLOCKED_AFTER_MS, or returned that much later by the lab's own clock),
 * or for an init question the module's init result.
 */
export function roundOutcome(round: PredictionRound, events: readonly LabEvent[]): RoundOutcome {
  if (round.settled) return { decided: true, ...round.settled };
  const { point } = round;
  let enter: LabEvent | undefined;
  for (let i = firstAfter(events, round.afterSeq); i < events.length; i++) {
    const event = events[i] as LabEvent;
    if (point.asks === "init") {
      if (
        event.type === "module.state" &&
        event.module === point.module &&
        (event.state === "live" || event.state === "failed")
      ) {
        return { decided: true, outcome: event.initResult ?? 0 };
      }
      continue;
    }
    if (event.type !== "step" || event.module !== point.module || event.step !== point.step) continue;
    if (event.phase === "enter") enter ??= event;
    else {
      const waited = enter !== undefined && (event.t - enter.t) * 1000 >= BLOCKED_AFTER_MS;
      if (waited || round.blocked) return { decided: true, outcome: "blocks" };
      return { decided: true, outcome: event.result ?? 0, errno: event.errno };
    }
  }
  if (round.blocked) return { decided: true, outcome: "blocks" };
  return { decided: false, running: enter !== undefined };
}

/**
 * The rounds with every newly decided verdict kept in the round (the same array when none is new),
 * so a tally still counts a round whose events the record has since dropped.
 */
export function settleRounds(rounds: PredictionRound[], events: readonly LabEvent[]): PredictionRound[] {
  let changed = false;
  const next = rounds.map((round) => {
    if (round.settled) return round;
    const result = roundOutcome(round, events);
    if (!result.decided) return round;
    changed = true;
    const settled =
      result.errno === undefined
        ? { outcome: result.outcome }
        : { outcome: result.outcome, errno: result.errno };
    return { ...round, settled };
  });
  return changed ? next : rounds;
}

/** How many decided rounds the learner predicted right, of how many decided. */
export function tally(
  rounds: readonly PredictionRound[],
  events: readonly LabEvent[],
): { right: number; total: number } {
  let right = 0;
  let total = 0;
  for (const round of rounds) {
    const result = roundOutcome(round, events);
    if (!result.decided) continue;
    total++;
    if (result.outcome === round.choice) right++;
  }
  return { right, total };
}

/** The seq of the newest event of the list (0 before any: the session's seqs start at 1). */
export function newestSeq(events: readonly LabEvent[]): number {
  return events.at(-1)?.seq ?? 0;
}

/** The position of the first event whose seq is past `seq` (the list is in seq order). */
function firstAfter(events: readonly LabEvent[], seq: number): number {
  let low = 0;
  let high = events.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if ((events[middle] as LabEvent).seq <= seq) low = middle + 1;
    else high = middle;
  }
  return low;
}
