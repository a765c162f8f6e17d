import type { EventRecord, RecordPrefix } from "../connection/eventRecord.ts";
import { type SequenceItem, SequenceFold } from "./sequenceModel.ts";

/** What the runs before the one shown add up to: the diagram folds them into one line. */
export type FoldedRuns = { runs: number; calls: number; failedCalls: number };

export type RunSequence = {
  run: number;
  items: SequenceItem[];
  folded?: FoldedRuns;
  /** Still folding the run's events (a long opened run): how many of how many are done. */
  drawing?: { done: number; total: number };
};

/**
 * Events folded in one go: a live lab holds fewer (KEEP_EVENTS), so only a long opened run is
 * folded over several tasks, this many at a time.
 */
export const SEQUENCE_SLICE = 2000;

/** Each record's fold of the run last shown, resumed where it stopped: a new event costs itself. */
type Folding = { from: number; labPort: number | undefined; fold: SequenceFold; at: number };
const folds = new WeakMap<EventRecord, Folding>();

/**
 * The sequence diagram of the run the shown moment is in, from its first event (or the first one
 * still held) to that moment, starting from the socket table the kernel reported before it. The
 * cost is one run's, however many came before, and once folded, each new event's alone. At most
 * SEQUENCE_SLICE events are folded per call: `drawing` says that more remain for the next call.
 */
export function runSequence({ record, end }: RecordPrefix, labPort: number | undefined): RunSequence {
  const run = record.runOf(end - 1);
  if (!run) return { run: 1, items: [] };
  const from = Math.max(run.start, record.start);
  let folding = folds.get(record);
  if (!folding || folding.from !== from || folding.labPort !== labPort || folding.at > end) {
    folding = { from, labPort, fold: new SequenceFold(labPort, record.momentAt(from).tcp), at: from };
    folds.set(record, folding);
  }
  const until = Math.min(end, folding.at + SEQUENCE_SLICE);
  for (let position = folding.at; position < until; position++) {
    const event = record.at(position);
    if (event) folding.fold.push(event);
  }
  folding.at = until;
  const drawing = until < end ? { done: until - from, total: end - from } : undefined;
  const items = folding.fold.items.slice();
  if (run.number === 1) return { run: 1, items, drawing };
  const folded: FoldedRuns = {
    runs: run.number - 1,
    calls: record.dropped.calls,
    failedCalls: record.dropped.failedCalls,
  };
  for (const earlier of record.runs) {
    if (earlier.number >= run.number) break;
    folded.calls += earlier.calls;
    folded.failedCalls += earlier.failedCalls;
  }
  return { run: run.number, items, folded, drawing };
}
