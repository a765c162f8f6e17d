import { useEffect, useMemo, useState } from "react";
import { doneBy } from "../../../shared/content/lesson/doneWhen.ts";
import { LESSON, type LessonStep, lessonStepIndex } from "../../../shared/content/lesson/lessonSteps.ts";
import { markedLines } from "../../../shared/content/lesson/lineMarkers.ts";
import type { LabEvent } from "../../../shared/protocol/messages.ts";
import type { RecordPrefix } from "../connection/eventRecord.ts";
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

/** A moment the learner showed for a step's doneWhenViewed, and whether they went back to live since. */
export type ViewedMoment = { stepId: string; event: LabEvent; returned: boolean };

function clamp(index: number): number {
  return Math.min(LESSON.length - 1, Math.max(0, index));
}

/**
 * Where the learner is in the lesson. A task counts only what happened after the learner reached
 * its step; when done, the step says so and waits: only the learner moves on (Next, →). The URL
 * names the step (?step=<id>).
 */
export function useLesson(
  events: RecordPrefix,
  portOccupied = false,
  viewed: ViewedMoment | null = null,
): LessonState {
  const [position, setPosition] = useState(() => ({
    index: lessonStepIndex(readUrlParam("step")) ?? 0,
    since: events.end,
  }));
  const index = clamp(position.index);
  const step = LESSON[index] as LessonStep;
  // What happened since the step began: a few runs at most, not the session.
  const sinceBegun = useMemo(() => events.record.slice(position.since, events.end), [events, position.since]);
  const outcome = step.doneWhen
    ? doneBy(step.doneWhen, sinceBegun)
    : step.doneWhenViewed && viewed?.stepId === step.id && viewed.returned
      ? [viewed.event]
      : undefined;
  const done = outcome !== undefined;

  useEffect(() => {
    writeUrlParams({ step: step.id });
  }, [step.id]);

  const goTo = (target: number) => setPosition({ index: clamp(target), since: events.end });
  return {
    index,
    step,
    done,
    outcome: outcome ?? [],
    // Over the events the record holds: runs are dropped whole, so it begins with an idle lab.
    unmet: done
      ? undefined
      : unmetNeeds(
          step.needs,
          events.record.slice(events.start, events.end),
          position.since - events.start,
          portOccupied,
        ),
    next: () => goTo(index + 1),
    back: () => goTo(index - 1),
    goTo,
    marked: stepMarks(step),
  };
}

/** The lines of a listing a step talks about (none when another variant is shown). */
export function stepMarks(step: LessonStep): LessonState["marked"] {
  return (module, variant, cText) => {
    const markers = step.marks?.[module];
    return markers && variant === MARKED_VARIANT ? markedLines(cText, markers) : undefined;
  };
}
