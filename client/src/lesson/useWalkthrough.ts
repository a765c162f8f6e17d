import { useCallback, useEffect, useMemo, useState } from "react";
import { prefixOf } from "../recording/recordedRecord.ts";
import { linkedMoment, parseAt } from "./atParam.ts";
import type { LabEvent } from "../../../shared/protocol/messages.ts";
import type { RecordPrefix } from "../connection/eventRecord.ts";
import type { LabSnapshot } from "../connection/labConnection.ts";
import { DEFAULT_PACE, isPace, PACES, type Pace, usePacedLength } from "./pacing.ts";
import { type LessonState, useLesson, type ViewedMoment } from "./useLesson.ts";
import { matches } from "../../../shared/content/lesson/doneWhen.ts";
import { readUrlParam, writeUrlParams } from "../app/urlState.ts";

export type Walkthrough = {
  pace: Pace;
  setPace: (pace: Pace) => void;
  /** The events the timeline holds: the live lab's as the display has played them (all of them in
   * step mode or at "instant"), or a recorded run's when one is open. */
  paced: RecordPrefix;
  /** The live lab's played events, also while a recorded run is open (the controls act on them). */
  live: RecordPrefix;
  /** The timeline position a link named (?at=N, 1-based) that waits for its recorded run to be opened. */
  linkedAt: number | null;
  /** A link's ?at=N that the run opened has no event N for: N and the run's events, said beside it. */
  linkedOutside: { n: number; total: number } | null;
  /** What the listings and the log show: `paced`, or its first `past + 1` events on the timeline. */
  shown: RecordPrefix;
  /** The position of the timeline event being looked at (among those held), or null for the live lab. */
  past: number | null;
  viewPast: (index: number) => void;
  backToLive: () => void;
  /** The display at the live lab at once, queued calls included (Reset the lab). */
  jumpToLive: () => void;
  lesson: LessonState;
};

/**
 * The guided side of the lab, derived from the snapshot: the paced display, the timeline's moment,
 * the lesson position. It never sends a command: the lab stays live.
 */
export function useWalkthrough(
  snapshot: LabSnapshot,
  recorded: readonly LabEvent[] | null = null,
): Walkthrough {
  const [pace, setPaceState] = useState<Pace>(() => {
    const fromUrl = readUrlParam("pace");
    return isPace(fromUrl) ? fromUrl : DEFAULT_PACE;
  });
  // In step mode the learner is the pace: each call is shown as soon as it happens.
  const { record, start } = snapshot;
  const [jumps, setJumps] = useState(0);
  const jumpToLive = useCallback(() => {
    setSelected(null);
    setJumps((n) => n + 1);
  }, []);
  const liveEnd = Math.max(
    start,
    usePacedLength(record, snapshot.length, snapshot.stepMode ? 0 : PACES[pace], jumps),
  );
  const live = useMemo(() => ({ record, start, end: liveEnd }), [record, start, liveEnd]);
  const recordedPrefix = useMemo(() => (recorded ? prefixOf(recorded) : null), [recorded]);
  const paced = recordedPrefix ?? live;
  const [selected, setSelected] = useState<number | null>(null);
  // A link's ?at= is a moment of a recorded run: it applies to the first run opened, never to the live lab.
  const [linkedAt, setLinkedAt] = useState(() => parseAt(readUrlParam("at")));
  const [linkedOutside, setLinkedOutside] = useState<Walkthrough["linkedOutside"]>(null);
  const [source, setSource] = useState(recorded);
  if (source !== recorded) {
    setSource(recorded);
    const moment = recorded && linkedAt !== null ? linkedMoment(linkedAt, recorded.length) : null;
    setSelected(moment && moment !== "outside" ? moment.position : null);
    setLinkedOutside(
      recorded && linkedAt !== null && moment === "outside" ? { n: linkedAt, total: recorded.length } : null,
    );
    if (recorded && linkedAt !== null) setLinkedAt(null);
  }
  // A moment whose run was dropped from the record can no longer be shown: back to live.
  const past = selected !== null && selected < paced.end && selected >= paced.start ? selected : null;
  const shownEnd = past === null ? paced.end : past + 1;
  const shown = useMemo(() => ({ ...paced, end: shownEnd }), [paced, shownEnd]);
  // A task done in the view (step 13): the moment it names was shown, then the learner went back to live.
  const [viewed, setViewed] = useState<ViewedMoment | null>(null);
  const lesson = useLesson(live, snapshot.port?.occupied === true, viewed);
  const viewTask = lesson.step.doneWhenViewed;
  const stepId = lesson.step.id;
  const shownRecord = paced.record;
  useEffect(() => {
    if (!viewTask) return;
    const event = past === null ? undefined : shownRecord.slice(past, past + 1)[0];
    if (event && matches(viewTask, event)) setViewed({ stepId, event, returned: false });
    else if (past === null)
      setViewed((was) => (was && was.stepId === stepId && !was.returned ? { ...was, returned: true } : was));
  }, [past, viewTask, stepId, shownRecord]);
  useEffect(() => {
    if (linkedAt === null) writeUrlParams({ at: past === null ? undefined : String(past + 1) });
  }, [past, linkedAt]);

  return {
    pace,
    setPace: (next) => {
      setPaceState(next);
      writeUrlParams({ pace: next });
    },
    paced,
    live,
    linkedAt,
    linkedOutside,
    shown,
    past,
    // Picking the newest event is the live lab: it keeps moving as new events come.
    viewPast: (index) => setSelected(index >= paced.end - 1 ? null : index),
    backToLive: () => setSelected(null),
    jumpToLive,
    lesson,
  };
}
