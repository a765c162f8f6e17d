import type { LabEvent, ModuleState } from "../../protocol/messages.ts";
import { assertNever } from "../../protocol/messages.ts";
import type { ModuleName, StepId } from "../../protocol/steps.ts";

/** One thing that happens in the lab, described by the event that records it. */
export type LabHappening =
  | { type: "module.state"; module: ModuleName; state: ModuleState; initResult?: number }
  | { type: "step"; module: ModuleName; step: StepId; phase: "enter" | "exit"; result?: number }
  | { type: "step.waiting"; module: ModuleName; step: StepId }
  /** A shell line (insmod/rmmod and what they answered) containing this text. */
  | { type: "console"; includes: string };

/**
 * When a lesson step's task is done: a happening, several in any order (`all`), or several in
 * this order (`sequence`) — e.g. the server paused before accept, then the client's connect returned 0.
 */
export type DoneWhen =
  | LabHappening
  | { type: "all"; of: readonly LabHappening[] }
  | { type: "sequence"; of: readonly LabHappening[] };

export function matches(happening: LabHappening, event: LabEvent): boolean {
  switch (happening.type) {
    case "module.state":
      return (
        event.type === "module.state" &&
        event.module === happening.module &&
        event.state === happening.state &&
        (happening.initResult === undefined || event.initResult === happening.initResult)
      );
    case "step":
      return (
        event.type === "step" &&
        event.module === happening.module &&
        event.step === happening.step &&
        event.phase === happening.phase &&
        (happening.result === undefined || event.result === happening.result)
      );
    case "step.waiting":
      return (
        event.type === "step.waiting" && event.module === happening.module && event.step === happening.step
      );
    case "console":
      return event.type === "console" && event.text.includes(happening.includes);
    default:
      return assertNever(happening);
  }
}

/** Whether `events` (those since the learner reached the step) show the task done. */
export function isDone(condition: DoneWhen, events: readonly LabEvent[]): boolean {
  switch (condition.type) {
    case "all":
      return condition.of.every((happening) => events.some((event) => matches(happening, event)));
    case "sequence": {
      let next = 0;
      for (const event of events) {
        const wanted = condition.of[next];
        if (wanted && matches(wanted, event)) next++;
      }
      return next === condition.of.length;
    }
    default:
      return events.some((event) => matches(condition, event));
  }
}
