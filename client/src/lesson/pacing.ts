import type { LabEvent } from "../../../shared/protocol/messages.ts";
import type { EventSource } from "../connection/eventRecord.ts";

/**
 * Pacing: the lab's calls run at full speed; only the display plays them back at a pace a person
 * can follow. The display clock (clock/displayClock.ts) walks the event list one kernel call a beat.
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
