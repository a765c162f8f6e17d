import { useMemo, useState } from "react";
import type { LabEvent } from "../../../shared/protocol/messages.ts";
import type { LabSnapshot } from "../connection/labConnection.ts";
import { DEFAULT_PACE, isPace, PACES, type Pace, usePacedEvents } from "./pacing.ts";
import { type LessonState, useLesson } from "./useLesson.ts";
import { useLessonKeys } from "./useLessonKeys.ts";
import { readUrlParam, writeUrlParams } from "../app/urlState.ts";

export type Walkthrough = {
  pace: Pace;
  setPace: (pace: Pace) => void;
  /** The events the display has played so far (all of them in step mode or at "instant"). */
  paced: readonly LabEvent[];
  /** What the listings and the log show: `paced`, or its first `past + 1` events on the timeline. */
  shown: readonly LabEvent[];
  /** The index of the timeline event being looked at, or null for the live lab. */
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
  const paced = usePacedEvents(snapshot.events, snapshot.stepMode ? 0 : PACES[pace]);
  const [selected, setSelected] = useState<number | null>(null);
  const past = selected !== null && selected < paced.length ? selected : null;
  const shown = useMemo(() => (past === null ? paced : paced.slice(0, past + 1)), [paced, past]);
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
    viewPast: (index) => setSelected(index >= paced.length - 1 ? null : index),
    backToLive: () => setSelected(null),
    lesson,
    shortcutsOpen,
    setShortcutsOpen,
  };
}
