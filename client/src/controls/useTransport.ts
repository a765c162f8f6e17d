import { useMemo } from "react";
import type { RecordPrefix } from "../connection/eventRecord.ts";
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
 * The stops are those of the events the record still holds (its window `start`–`end`).
 */
export function useTransport(
  events: RecordPrefix,
  past: number | null,
  onPick: (position: number) => void,
  onLive: () => void,
): Transport {
  const { record, start, end } = events;
  // Stops are indices into the held events; a position is the index plus the window's start.
  const stops = useMemo(() => transportStops(record.slice(start, end)), [record, start, end]);
  const at = past ?? end - 1;
  const before = end > start ? stopBefore(stops, at - start) : null;
  const after = past === null ? null : stopAfter(stops, at - start);
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
