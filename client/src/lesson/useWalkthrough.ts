import { useEffect, useState } from "react";
import { matches } from "../../../shared/content/lesson/doneWhen.ts";
import { writeUrlParams } from "../app/urlState.ts";
import { useDisplay, useDisplayClock } from "../clock/displayClock.ts";
import { type LessonState, useLesson, type ViewedMoment } from "./useLesson.ts";

/**
 * The guided side of the lab: the lesson position over the live lab as the display plays it, the
 * task done in the view (step 13: a moment looked at, then back to live), and the moment looked
 * at in the URL (?at=N). The pacing and the timeline's cursor are the display clock's
 * (clock/displayClock.ts); this hook never sends a command.
 */
export function useWalkthrough(portOccupied: boolean): LessonState {
  const live = useDisplay((state) => state.live);
  const past = useDisplay((state) => state.past);
  const shownRecord = useDisplay((state) => state.paced.record);
  const linkedAt = useDisplay((state) => state.linkedAt);
  // A task done in the view (step 13): the moment it names was shown, then the learner went back to live.
  const [viewed, setViewed] = useState<ViewedMoment | null>(null);
  const lesson = useLesson(live, portOccupied, viewed);
  const viewTask = lesson.step.doneWhenViewed;
  const stepId = lesson.step.id;
  useEffect(() => {
    if (!viewTask) return;
    const event = past === null ? undefined : shownRecord.slice(past, past + 1)[0];
    if (event && matches(viewTask, event)) setViewed({ stepId, event, returned: false });
    else if (past === null)
      setViewed((was) => (was && was.stepId === stepId && !was.returned ? { ...was, returned: true } : was));
  }, [past, viewTask, stepId, shownRecord]);
  // Not before the clock is set: it reads the link's ?at= first.
  const clocked = useDisplayClock() !== null;
  useEffect(() => {
    if (clocked && linkedAt === null) writeUrlParams({ at: past === null ? undefined : String(past + 1) });
  }, [clocked, past, linkedAt]);
  return lesson;
}
