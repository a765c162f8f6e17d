import type { LabEvent } from "../../../shared/protocol/messages.ts";

type StepEvent = Extract<LabEvent, { type: "step" | "step.waiting" }>;

function isStep(event: LabEvent | undefined): event is StepEvent {
  return event?.type === "step" || event?.type === "step.waiting";
}

/** The next event of the same call: waiting → enter → exit of one module's one step. */
function continues(call: StepEvent, next: StepEvent): boolean {
  if (call.module !== next.module || call.step !== next.step) return false;
  if (call.type === "step.waiting") return next.type === "step" && next.phase === "enter";
  return call.phase === "enter" && next.type === "step" && next.phase === "exit";
}

/**
 * The moments Step back and Step forward stop at, as indices into the events: one per kernel call,
 * where the call has returned, or has blocked while the other module ran (the server in accept).
 * A stop takes in the events that followed the call (its printk, a module's new state) up to the
 * next call, so the log shows what the call printed.
 */
export function transportStops(events: readonly LabEvent[]): number[] {
  const steps: number[] = [];
  events.forEach((event, index) => {
    if (isStep(event)) steps.push(index);
  });
  const stops: number[] = [];
  steps.forEach((index, k) => {
    const next = steps[k + 1];
    const call = events[index] as StepEvent;
    if (next !== undefined && continues(call, events[next] as StepEvent)) return;
    stops.push(next === undefined ? events.length - 1 : next - 1);
  });
  return stops;
}

/** Where Step back goes from `at` (an event index): the previous stop, or the first event. */
export function stopBefore(stops: readonly number[], at: number): number | null {
  for (let k = stops.length - 1; k >= 0; k--) {
    const stop = stops[k] as number;
    if (stop < at) return stop;
  }
  return at > 0 ? 0 : null;
}

/** Where Step forward goes from `at`: the next stop, or null when there is none before the live end. */
export function stopAfter(stops: readonly number[], at: number): number | null {
  return stops.find((stop) => stop > at) ?? null;
}
