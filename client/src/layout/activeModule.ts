import type { EventSource } from "../connection/eventRecord.ts";
import type { ModuleView } from "../connection/labView.ts";

/** How far back to look for a module's event: a run's printk and console lines sit between them. */
const LOOK_BACK = 200;

/** A module still in a call, or held before one: its listing is the one the learner follows. */
function inCall(view: ModuleView | undefined): boolean {
  return view?.current?.phase === "waiting" || view?.current?.phase === "running";
}

/** A module held before a call: the next press (Step) acts there. */
function held(view: ModuleView | undefined): boolean {
  return view?.current?.phase === "waiting";
}

/**
 * The module the lab moved last, up to `end`: the one whose call, pause or load state is the latest
 * event. A module whose load state has just changed to one without a call (live after init, unloaded,
 * failed) gives way to one still in a call or held before one: that is where the next press acts.
 * A module only inside a call gives way to one held before a call: on the real kernel the whole VM
 * stops at one module's breakpoint, and the other's traced calls (its accept returning) can be
 * reported after that stop.
 */
export function activeModule(
  record: EventSource,
  start: number,
  end: number,
  views: Readonly<Record<string, ModuleView>>,
): string | undefined {
  for (let position = end - 1; position >= Math.max(start, end - LOOK_BACK); position--) {
    const event = record.at(position);
    if (!event) continue;
    if (event.type === "step" || event.type === "step.waiting" || event.type === "module.state") {
      if (event.type !== "module.state" || event.state === "loading" || inCall(views[event.module])) {
        if (held(views[event.module])) return event.module;
        return Object.keys(views).find((module) => held(views[module])) ?? event.module;
      }
      return Object.keys(views).find((module) => inCall(views[module])) ?? event.module;
    }
  }
  return undefined;
}
