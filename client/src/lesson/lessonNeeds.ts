import type { LabNeeds } from "../../../shared/content/lesson/lessonSteps.ts";
import type { LabEvent } from "../../../shared/protocol/messages.ts";
import type { ModuleName } from "../../../shared/protocol/steps.ts";
import { moduleView } from "../connection/labView.ts";

export type UnmetNeeds = {
  /** Modules the task needs not loaded that are loaded (or loading) from before the step began. */
  loaded: ModuleName[];
  /** "Occupy port" holds the port the task needs free. */
  portHeld: boolean;
};

/**
 * What of the step's needs the lab does not meet. A module the learner started during this step
 * (after `since`) is the task under way, not a wrong state: only one loaded from before counts.
 */
export function unmetNeeds(
  needs: LabNeeds | undefined,
  events: readonly LabEvent[],
  since: number,
  portOccupied: boolean,
): UnmetNeeds | undefined {
  if (!needs) return undefined;
  const loaded = (needs.unloaded ?? []).filter((module) => {
    const state = moduleView(events, module).state;
    if (state === "unloaded" || state === "failed") return false;
    return !startedSince(events, since, module);
  });
  const portHeld = needs.portFree === true && portOccupied;
  return loaded.length > 0 || portHeld ? { loaded, portHeld } : undefined;
}

function startedSince(events: readonly LabEvent[], since: number, module: ModuleName): boolean {
  for (let i = Math.max(0, since); i < events.length; i++) {
    const event = events[i];
    if (event?.type === "module.state" && event.module === module && event.state === "loading") return true;
  }
  return false;
}
