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
  return doneBy(condition, events) !== undefined;
}

/**
 * The events that did the task, one per happening in the condition's order (the first that
 * matched each), or undefined while it is not done: the lesson shows them as the real outcome.
 */
export function doneBy(condition: DoneWhen, events: readonly LabEvent[]): LabEvent[] | undefined {
  switch (condition.type) {
    case "all": {
      const found = condition.of.map((happening) => events.find((event) => matches(happening, event)));
      return found.every((event) => event !== undefined) ? (found as LabEvent[]) : undefined;
    }
    case "sequence": {
      const found: LabEvent[] = [];
      for (const event of events) {
        const wanted = condition.of[found.length];
        if (wanted && matches(wanted, event)) found.push(event);
      }
      return found.length === condition.of.length ? found : undefined;
    }
    default: {
      const event = events.find((e) => matches(condition, e));
      return event ? [event] : undefined;
    }
  }
}
