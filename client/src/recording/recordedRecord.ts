import type { LabEvent } from "../../../shared/protocol/messages.ts";
import { EventRecord, type RecordPrefix } from "../connection/eventRecord.ts";

/** Records built ahead (in slices, while the file was opened), by the events they hold. */
const built = new WeakMap<readonly LabEvent[], EventRecord>();

/**
 * A recorded run, opened from a file, as a record of its own: all of it is kept, as it was saved.
 * The one built by buildRecordInSlices is taken when there is one.
 */
export function prefixOf(events: readonly LabEvent[]): RecordPrefix {
  let record = built.get(events);
  if (!record) {
    record = new EventRecord(Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY);
    for (const event of events) record.append(event);
  }
  return { record, start: 0, end: record.length };
}

/**
 * Builds a run's record `slice` events at a time, awaiting `pause()` between slices, so opening a
 * 35,000-event file never holds the page's thread for long; prefixOf then finds it.
 */
export async function buildRecordInSlices(
  events: readonly LabEvent[],
  pause: () => Promise<void>,
  slice = 1000,
): Promise<void> {
  const record = new EventRecord(Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY);
  for (let i = 0; i < events.length; i++) {
    if (i > 0 && i % slice === 0) await pause();
    record.append(events[i] as LabEvent);
  }
  built.set(events, record);
}

/** A pause that lets the page paint and handle input: a macrotask. */
export function nextTask(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}
