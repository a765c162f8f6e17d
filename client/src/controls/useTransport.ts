import { useMemo } from "react";
import type { LabEvent } from "../../../shared/protocol/messages.ts";
import { stopAfter, stopBefore, transportStops } from "./transportStops.ts";

export type Transport = {
  /** The index of the event shown: the picked one, or the newest. */
  at: number;
  canBack: boolean;
  canForward: boolean;
  back: () => void;
  forward: () => void;
};

/**
 * Step back and Step forward over the recorded events, one kernel call at a time: they pick a
 * moment exactly as the timeline does (`onPick`), and forward from the last call is the live lab.
 */
export function useTransport(
  events: readonly LabEvent[],
  past: number | null,
  onPick: (index: number) => void,
  onLive: () => void,
): Transport {
  const stops = useMemo(() => transportStops(events), [events]);
  const at = past ?? events.length - 1;
  const before = events.length > 0 ? stopBefore(stops, at) : null;
  const after = past === null ? null : stopAfter(stops, at);
  return {
    at,
    canBack: before !== null,
    canForward: past !== null,
    back: () => {
      if (before !== null) onPick(before);
    },
    forward: () => {
      if (past === null) return;
      if (after === null) onLive();
      else onPick(after);
    },
  };
}
