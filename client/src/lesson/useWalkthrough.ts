import { useMemo, useState } from "react";
import type { RecordPrefix } from "../connection/eventRecord.ts";
import type { LabSnapshot } from "../connection/labConnection.ts";
import { DEFAULT_PACE, isPace, PACES, type Pace, usePacedLength } from "./pacing.ts";
import { type LessonState, useLesson } from "./useLesson.ts";
import { useLessonKeys } from "./useLessonKeys.ts";
import { readUrlParam, writeUrlParams } from "../app/urlState.ts";

export type Walkthrough = {
  pace: Pace;
  setPace: (pace: Pace) => void;
  /** The events the display has played so far (all of them in step mode or at "instant"). */
  paced: RecordPrefix;
  /** What the listings and the log show: `paced`, or its first `past + 1` events on the timeline. */
  shown: RecordPrefix;
  /** The position of the timeline event being looked at (among those held), or null for the live lab. */
  past: number | null;
  viewPast: (index: number) => void;
  backToLive: () => void;
  lesson: LessonState;
  shortcutsOpen: boolean;
  setShortcutsOpen: (open: boolean) => void;
};

/**
 * The guided side of the lab, derived from the snapshot: the paced display, the timeline's moment,
 * the lesson position and the keyboard. It never sends a command: the lab stays live.
 */
export function useWalkthrough(snapshot: LabSnapshot): Walkthrough {
  const [pace, setPaceState] = useState<Pace>(() => {
    const fromUrl = readUrlParam("pace");
    return isPace(fromUrl) ? fromUrl : DEFAULT_PACE;
  });
  // In step mode the learner is the pace: each call is shown as soon as it happens.
  const { record, start } = snapshot;
  const pacedEnd = Math.max(
    start,
    usePacedLength(record, snapshot.length, snapshot.stepMode ? 0 : PACES[pace]),
  );
  const [selected, setSelected] = useState<number | null>(null);
  // A moment whose run was dropped from the record can no longer be shown: back to live.
  const past = selected !== null && selected < pacedEnd - 1 && selected >= start ? selected : null;
  const shownEnd = past === null ? pacedEnd : past + 1;
  const paced = useMemo(() => ({ record, start, end: pacedEnd }), [record, start, pacedEnd]);
  const shown = useMemo(() => ({ record, start, end: shownEnd }), [record, start, shownEnd]);
  const lesson = useLesson(paced);
  const [shortcutsOpen, setShortcutsOpen] = useState(false);
  useLessonKeys({ next: lesson.next, back: lesson.back, help: () => setShortcutsOpen(true) });

  return {
    pace,
    setPace: (next) => {
      setPaceState(next);
      writeUrlParams({ pace: next });
    },
    paced,
    shown,
    past,
    // Picking the newest event is the live lab: it keeps moving as new events come.
    viewPast: (index) => setSelected(index >= pacedEnd - 1 ? null : index),
    backToLive: () => setSelected(null),
    lesson,
    shortcutsOpen,
    setShortcutsOpen,
  };
}
