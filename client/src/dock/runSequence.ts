import type { RecordPrefix } from "../connection/eventRecord.ts";
import { type SequenceItem, sequenceOf } from "./sequenceModel.ts";

/** What the runs before the one shown add up to: the diagram folds them into one line. */
export type FoldedRuns = { runs: number; calls: number; failedCalls: number };

export type RunSequence = { run: number; items: SequenceItem[]; folded?: FoldedRuns };

/**
 * The sequence diagram of the run the shown moment is in, from its first event (or the first one
 * still held) to that moment, starting from the socket table the kernel reported before it. The
 * cost is one run's, however many came before.
 */
export function runSequence({ record, end }: RecordPrefix, labPort: number | undefined): RunSequence {
  const run = record.runOf(end - 1);
  if (!run) return { run: 1, items: [] };
  const from = Math.max(run.start, record.start);
  const items = sequenceOf(record.slice(from, end), labPort, record.momentAt(from).tcp);
  if (run.number === 1) return { run: 1, items };
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
  return { run: run.number, items, folded };
}
