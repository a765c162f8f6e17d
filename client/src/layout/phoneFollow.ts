import type { ModuleName } from "../../../shared/protocol/steps.ts";
import type { ModuleView } from "../connection/labView.ts";

/** The module the learner started last on a phone, and which start it was (each start scrolls to it). */
export type StartedModule = { module: ModuleName; count: number };

export function nextStart(before: StartedModule | undefined, module: ModuleName): StartedModule {
  return { module, count: (before?.count ?? 0) + 1 };
}

/**
 * What a phone's code view follows instead of the module the lab moved last: the module the learner
 * just started, while it is in the lab. Started out of step mode, the other module's later calls
 * (the server receiving what the client sent) would otherwise take the view from it. In step mode
 * the module held before a call is where the next press acts: the lab's own choice is kept.
 */
export function phoneFollows(
  started: StartedModule | undefined,
  stepMode: boolean,
  views: Readonly<Record<ModuleName, ModuleView>>,
): StartedModule | undefined {
  if (!started || stepMode) return undefined;
  return views[started.module].state === "unloaded" ? undefined : started;
}
