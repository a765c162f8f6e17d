import { useEffect, useMemo, useState } from "react";
import type { LabEvent } from "../../../shared/protocol/messages.ts";
import type { LabSnapshot } from "../connection/labConnection.ts";
import { DEFAULT_PACE, isPace, PACES, type Pace, usePacedEvents } from "./pacing.ts";
import { type LessonState, useLesson } from "./useLesson.ts";
import { useLessonKeys } from "./useLessonKeys.ts";
import { readUrlParam, writeUrlParams } from "../app/urlState.ts";

export type Walkthrough = {
  pace: Pace;
  setPace: (pace: Pace) => void;
  /** The events the timeline holds: the live lab's as the display has played them (all of them in
   * step mode or at "instant"), or a recorded run's when one is open. */
  paced: readonly LabEvent[];
  /** The live lab's played events, also while a recorded run is open (the controls act on them). */
  live: readonly LabEvent[];
  /** The timeline position a link named (?at=N, 1-based) that waits for its recorded run to be opened. */
  linkedAt: number | null;
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
export function useWalkthrough(
  snapshot: LabSnapshot,
  recorded: readonly LabEvent[] | null = null,
): Walkthrough {
  const [pace, setPaceState] = useState<Pace>(() => {
    const fromUrl = readUrlParam("pace");
    return isPace(fromUrl) ? fromUrl : DEFAULT_PACE;
  });
  // In step mode the learner is the pace: each call is shown as soon as it happens.
  const live = usePacedEvents(snapshot.events, snapshot.stepMode ? 0 : PACES[pace]);
  const paced = recorded ?? live;
  const [selected, setSelected] = useState<number | null>(null);
  // A link's ?at= is a moment of a recorded run: it applies to the first run opened, never to the live lab.
  const [linkedAt, setLinkedAt] = useState(() => parseAt(readUrlParam("at")));
  const [source, setSource] = useState(recorded);
  if (source !== recorded) {
    setSource(recorded);
    if (recorded && linkedAt !== null && linkedAt <= recorded.length) {
      setSelected(linkedAt - 1 >= recorded.length - 1 ? null : linkedAt - 1);
      setLinkedAt(null);
    } else {
      setSelected(null);
    }
  }
  const past = selected !== null && selected < paced.length ? selected : null;
  const shown = useMemo(() => (past === null ? paced : paced.slice(0, past + 1)), [paced, past]);
  const lesson = useLesson(live, snapshot.port?.occupied === true);
  useEffect(() => {
    if (linkedAt === null) writeUrlParams({ at: past === null ? undefined : String(past + 1) });
  }, [past, linkedAt]);
  const [shortcutsOpen, setShortcutsOpen] = useState(false);
  useLessonKeys({ next: lesson.next, back: lesson.back, help: () => setShortcutsOpen(true) });

  return {
    pace,
    setPace: (next) => {
      setPaceState(next);
      writeUrlParams({ pace: next });
    },
    paced,
    live,
    linkedAt,
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

/** ?at=N: a 1-based event number, or null. */
function parseAt(value: string | null): number | null {
  const n = Number(value);
  return value !== null && Number.isInteger(n) && n >= 1 ? n : null;
}
