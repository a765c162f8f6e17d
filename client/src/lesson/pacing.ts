import { useEffect, useRef, useState } from "react";
import type { LabEvent } from "../../../shared/protocol/messages.ts";
import type { EventSource } from "../connection/eventRecord.ts";

/**
 * Pacing: the lab's calls run at full speed; only the display plays them back at a pace a person
 * can follow. A display cursor walks the event list one kernel call at a time.
 */
export const PACES = { slow: 1000, normal: 250, fast: 60, instant: 0 } as const;
export type Pace = keyof typeof PACES;
export const DEFAULT_PACE: Pace = "normal";

export function isPace(value: unknown): value is Pace {
  return typeof value === "string" && Object.hasOwn(PACES, value);
}

function startsCall(event: LabEvent | undefined): boolean {
  return event?.type === "step" && event.phase === "enter";
}

/**
 * Where the next beat of the display ends: from `cursor`, one kernel call entering with whatever
 * follows it (its return, its printk) up to the next call. Returns the new cursor.
 */
export function nextBeat(events: EventSource, cursor: number): { end: number; hasCall: boolean } {
  let hasCall = false;
  for (let i = cursor; i < events.length; i++) {
    if (startsCall(events.at(i))) {
      if (hasCall) return { end: i, hasCall };
      hasCall = true;
    }
  }
  return { end: events.length, hasCall };
}

/**
 * How many of the `length` events are shown so far: all of them at once when `ms` is 0, else one
 * call per `ms`. The timer belongs to the effect and is cleared whenever the events, the cursor or
 * the pace change.
 */
export function usePacedLength(events: EventSource, length: number, ms: number, jumps = 0): number {
  const [cursor, setCursor] = useState(length);
  // A jump (Reset the lab) shows every event so far at once: the calls queued before it are history.
  const [jumped, setJumped] = useState(jumps);
  if (jumped !== jumps) {
    setJumped(jumps);
    setCursor(length);
  }
  const lastBeat = useRef(Number.NEGATIVE_INFINITY);
  // At pace 0 (and in step mode) an event is shown in the render it arrives in: no second render
  // from an effect, which would land a frame later. Leaving pace 0 starts pacing from there.
  const [pacedBefore, setPacedBefore] = useState(ms !== 0);
  if (pacedBefore !== (ms !== 0)) {
    setPacedBefore(ms !== 0);
    if (ms !== 0) setCursor(length);
  }
  const shown = ms === 0 ? length : Math.min(cursor, length);

  useEffect(() => {
    if (shown >= length || ms === 0) return;
    const wait = Math.max(0, lastBeat.current + ms - performance.now());
    const timer = setTimeout(() => {
      const beat = nextBeat(events, shown);
      if (beat.hasCall) lastBeat.current = performance.now();
      setCursor(beat.end);
    }, wait);
    return () => clearTimeout(timer);
  }, [events, length, shown, ms]);

  return shown;
}
