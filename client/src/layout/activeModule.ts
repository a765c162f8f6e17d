import type { EventSource } from "../connection/eventRecord.ts";

/** How far back to look for a module's event: a run's printk and console lines sit between them. */
const LOOK_BACK = 200;

/**
 * The module the lab moved last, up to `end`: the one whose call, pause or load state is the latest
 * event. Its listing is the one the learner follows, so the focus layout gives it the room.
 */
export function activeModule(record: EventSource, start: number, end: number): string | undefined {
  for (let position = end - 1; position >= Math.max(start, end - LOOK_BACK); position--) {
    const event = record.at(position);
    if (!event) continue;
    if (event.type === "step" || event.type === "step.waiting" || event.type === "module.state") {
      return event.module;
    }
  }
  return undefined;
}
