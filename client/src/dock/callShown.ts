import type { RecordPrefix } from "../connection/eventRecord.ts";
import type { ServerEventOf } from "../../../shared/protocol/messages.ts";

export type CallEvent = ServerEventOf<"step"> | ServerEventOf<"step.waiting">;

/** How far back the call view looks for the call of the moment shown (a long printk flood between calls). */
const LOOK_BACK = 5000;

/**
 * The kernel call of the moment shown: the last step event (waiting, enter or exit) at or before
 * the shown end, so the view follows the timeline's pick and Step back as the listings do.
 */
export function callShown(shown: RecordPrefix): CallEvent | undefined {
  const from = Math.max(shown.start, shown.end - LOOK_BACK);
  for (let at = shown.end - 1; at >= from; at--) {
    const event = shown.record.at(at);
    if (event?.type === "step" || event?.type === "step.waiting") return event;
  }
  return undefined;
}
