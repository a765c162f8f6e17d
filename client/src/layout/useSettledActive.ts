import { useEffect, useState } from "react";
import type { ModuleView } from "../connection/labView.ts";

/**
 * In step mode, how long a module must stay the one the lab moved before it takes the room from
 * another. A real-kernel press resumes the whole VM: the other module's calls (a continued
 * client's connect and send) are told between the press and the pressed module's next pause, tens
 * of ms apart; following each collapsed one pane and expanded the other twice a press, and each
 * flip restyled and laid out the whole page (~5,300 elements, 60–70 ms at 1400×1600 in bench P7).
 * Out of step mode the room moves at once: a pane that moved later would move a button from under
 * a learner's pointer as they aimed at it.
 */
export const FOCUS_SETTLE_MS = 150;

/** Whether `module` is held before a call: the next press acts there. */
export function isHeld(views: Readonly<Record<string, ModuleView>>, module: string | undefined): boolean {
  return module !== undefined && views[module]?.current?.phase === "waiting";
}

/**
 * Which module has the room: `active` (the one the lab moved last) at once out of step mode, when
 * it is held before a call (`activeHeld`) or when nothing had the room; otherwise the one before
 * keeps it until `active` has been the one moved for FOCUS_SETTLE_MS.
 */
export function roomFor(
  before: string | undefined,
  active: string | undefined,
  { activeHeld, stepMode }: { activeHeld: boolean; stepMode: boolean },
  activeForMs: number,
): string | undefined {
  if (!stepMode || activeHeld || active === before || active === undefined || before === undefined)
    return active;
  return activeForMs >= FOCUS_SETTLE_MS ? active : before;
}

/** `roomFor` over time: the module with the room, moving when the lab's moves settle. */
export function useSettledActive(
  active: string | undefined,
  state: { activeHeld: boolean; stepMode: boolean },
): string | undefined {
  const [settled, setSettled] = useState(active);
  const shown = roomFor(settled, active, state, 0);
  useEffect(() => {
    if (shown === active) {
      if (settled !== active) setSettled(active);
      return;
    }
    const timer = setTimeout(() => setSettled(active), FOCUS_SETTLE_MS);
    return () => clearTimeout(timer);
  }, [active, settled, shown]);
  return shown;
}
