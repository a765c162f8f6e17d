import { useEffect, useState } from "react";
import { doneBy } from "../../../shared/content/lesson/doneWhen.ts";
import { LESSON, type LessonStep, lessonStepIndex } from "../../../shared/content/lesson/lessonSteps.ts";
import { markedLines } from "../../../shared/content/lesson/lineMarkers.ts";
import type { LabEvent } from "../../../shared/protocol/messages.ts";
import type { ModuleName, Variant } from "../../../shared/protocol/steps.ts";
import { readUrlParam, writeUrlParams } from "../app/urlState.ts";
import { type UnmetNeeds, unmetNeeds } from "./lessonNeeds.ts";

/** The lesson's marks are written against the listings as published. */
const MARKED_VARIANT: Variant = "published";

export type LessonState = {
  index: number;
  step: LessonStep;
  /** The step's task is done (always false for a step without one). */
  done: boolean;
  /** The events that did the task: the real outcome the step shows beside its check mark. */
  outcome: readonly LabEvent[];
  /** What of the lab state the task starts from is missing (undefined: the lab is ready, or done). */
  unmet: UnmetNeeds | undefined;
  next: () => void;
  back: () => void;
  goTo: (index: number) => void;
  /** The lines of this listing the step talks about (none when another variant is shown). */
  marked: (module: ModuleName, variant: Variant, cText: string) => ReadonlySet<number> | undefined;
};

function clamp(index: number): number {
  return Math.min(LESSON.length - 1, Math.max(0, index));
}

/**
 * Where the learner is in the lesson. A task counts only what happened after the learner reached
 * its step; when done, the step says so and waits: only the learner moves on (Next, →). The URL
 * names the step (?step=<id>).
 */
export function useLesson(events: readonly LabEvent[], portOccupied = false): LessonState {
  const [position, setPosition] = useState(() => ({
    index: lessonStepIndex(readUrlParam("step")) ?? 0,
    since: events.length,
  }));
  const index = clamp(position.index);
  const step = LESSON[index] as LessonStep;
  const outcome = step.doneWhen ? doneBy(step.doneWhen, events.slice(position.since)) : undefined;
  const done = outcome !== undefined;

  useEffect(() => {
    writeUrlParams({ step: step.id });
  }, [step.id]);

  const goTo = (target: number) => setPosition({ index: clamp(target), since: events.length });
  return {
    index,
    step,
    done,
    outcome: outcome ?? [],
    unmet: done ? undefined : unmetNeeds(step.needs, events, position.since, portOccupied),
    next: () => goTo(index + 1),
    back: () => goTo(index - 1),
    goTo,
    marked: (module, variant, cText) => {
      const markers = step.marks?.[module];
      return markers && variant === MARKED_VARIANT ? markedLines(cText, markers) : undefined;
    },
  };
}
