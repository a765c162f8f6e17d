import type { LabNeeds } from "../../../shared/content/lesson/lessonSteps.ts";
import type { LabEvent } from "../../../shared/protocol/messages.ts";
import type { ModuleName } from "../../../shared/protocol/steps.ts";
import { moduleView } from "../connection/labView.ts";

export type UnmetNeeds = {
  /** Modules the task needs not loaded that are loaded (or loading) from before the step began. */
  loaded: ModuleName[];
  /** "Occupy port" holds the port the task needs free. */
  portHeld: boolean;
  /** Modules the task needs with their init running that are not loaded: Start gets there. */
  toStart: ModuleName[];
  /** Modules the task needs with their init running whose init has returned: Stop, then Start. */
  toRestart: ModuleName[];
};

/**
 * What of the step's needs the lab does not meet: what Reset the lab fixes (a module loaded from
 * before, the port held) and what only a module's own button gets to (its init running). A module the learner started during this step
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
  const toStart: ModuleName[] = [];
  const toRestart: ModuleName[] = [];
  for (const module of needs.initRunning ?? []) {
    const state = moduleView(events, module).state;
    if (state === "unloaded" || state === "failed") toStart.push(module);
    // Loaded and returned during this step: the task under way (the client came), not a wrong state.
    else if (state === "live" && !startedSince(events, since, module)) toRestart.push(module);
  }
  const unmet = loaded.length > 0 || portHeld || toStart.length > 0 || toRestart.length > 0;
  return unmet ? { loaded, portHeld, toStart, toRestart } : undefined;
}

function startedSince(events: readonly LabEvent[], since: number, module: ModuleName): boolean {
  for (let i = Math.max(0, since); i < events.length; i++) {
    const event = events[i];
    if (event?.type === "module.state" && event.module === module && event.state === "loading") return true;
  }
  return false;
}
