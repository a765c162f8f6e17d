import { useMemo } from "react";
import type { RecordPrefix } from "../connection/eventRecord.ts";
import { sameOnScreen } from "./shownChange.ts";
import { stopAfter, stopBefore, transportStops } from "./transportStops.ts";

export type Transport = {
  /** The position of the event shown: the picked one, or the newest. */
  at: number;
  canBack: boolean;
  canForward: boolean;
  back: () => void;
  forward: () => void;
};

/**
 * Step back and Step forward over the recorded events, one kernel call at a time: they pick a
 * moment exactly as the timeline does (`onPick`), and forward from the last call is the live lab.
 * The stops are those of the events the record still holds (its window `start`–`end`). A press
 * always shows a change: a stop that looks as the moment shown does (a call whose return shows
 * nothing new) is passed over.
 */
export function useTransport(
  events: RecordPrefix,
  past: number | null,
  onPick: (position: number) => void,
  onLive: () => void,
): Transport {
  const { record, start, end } = events;
  // Stops are indices into the held events; a position is the index plus the window's start.
  const stops = useMemo(() => stopsOf(events), [events]);
  const at = past ?? end - 1;
  const shownNow = record.momentAt(at + 1);
  const looksNew = (index: number) => !sameOnScreen(record.momentAt(start + index + 1), shownNow);
  let before = end > start ? stopBefore(stops, at - start) : null;
  while (before !== null && before > 0 && !looksNew(before)) before = stopBefore(stops, before);
  let after = past === null ? null : stopAfter(stops, at - start);
  while (after !== null && !looksNew(after)) after = stopAfter(stops, after);
  return {
    at,
    canBack: before !== null,
    canForward: past !== null,
    back: () => {
      if (before !== null) onPick(start + before);
    },
    forward: () => {
      if (past === null) return;
      if (after === null) onLive();
      else onPick(start + after);
    },
  };
}

/** One list of stops per prefix (the clock shares its prefix objects): the keys and the buttons read the same. */
const stopsFor = new WeakMap<RecordPrefix, number[]>();

function stopsOf(events: RecordPrefix): number[] {
  let stops = stopsFor.get(events);
  if (!stops) {
    stops = transportStops(events.record.slice(events.start, events.end));
    stopsFor.set(events, stops);
  }
  return stops;
}
