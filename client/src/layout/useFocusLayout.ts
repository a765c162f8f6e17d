import { useCallback, useEffect, useState } from "react";

/** A pane that can fill the work column: the code (the focused module) or the dock. */
export const MAXIMISABLE = ["code", "dock"] as const;
export type Maximised = (typeof MAXIMISABLE)[number];

const KEY = "ksl.layout.maximised";

function readMaximised(): Maximised | null {
  try {
    const value = localStorage.getItem(KEY);
    return (MAXIMISABLE as readonly string[]).includes(value ?? "") ? (value as Maximised) : null;
  } catch {
    return null;
  }
}

function writeMaximised(value: Maximised | null): void {
  try {
    if (value) localStorage.setItem(KEY, value);
    else localStorage.removeItem(KEY);
  } catch {
    // Storage off (private mode): the choice lasts as long as the page.
  }
}

export type FocusLayout = {
  /** The module whose listings get the middle's height; the others show their header row. */
  focused: string | undefined;
  /** The learner's pick; it holds until the lab moves another module. */
  pick: (module: string) => void;
  maximised: Maximised | null;
  toggleMaximised: (pane: Maximised) => void;
};

/**
 * Which module has the room, and which pane (if any) fills the workbench. The module the lab moved
 * last has the room, unless the learner picked another since; a pick gives way when the lab moves a
 * module other than the one it moved at the pick. The maximised pane is remembered in this browser.
 */
export function useFocusLayout(modules: readonly string[], active: string | undefined): FocusLayout {
  const [picked, setPicked] = useState<{ module: string; activeAtPick: string | undefined } | null>(null);
  // A pick lasts until the lab moves another module; then it is gone (the lab moving back does not revive it).
  if (picked && picked.activeAtPick !== active) setPicked(null);
  const [maximised, setMaximised] = useState<Maximised | null>(readMaximised);
  useEffect(() => writeMaximised(maximised), [maximised]);
  const pick = useCallback((module: string) => setPicked({ module, activeAtPick: active }), [active]);
  const toggleMaximised = useCallback(
    (pane: Maximised) => setMaximised((now) => (now === pane ? null : pane)),
    [],
  );
  const focused = picked && picked.activeAtPick === active ? picked.module : (active ?? modules[0]);
  return { focused, pick, maximised, toggleMaximised };
}
