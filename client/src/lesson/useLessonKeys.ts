import { useEffect, useRef } from "react";

export type LessonKeys = {
  next: () => void;
  back: () => void;
  help: () => void;
  /** The transport beside the listings: one kernel call back or forward, and the live lab. */
  stepBack?: () => void;
  stepForward?: () => void;
  live?: () => void;
};

/** Which key does what; "，" and "。" are the same keys with a Chinese input method on. */
const ACTIONS: Record<string, keyof LessonKeys> = {
  ArrowRight: "next",
  ArrowLeft: "back",
  "?": "help",
  ",": "stepBack",
  "，": "stepBack",
  ".": "stepForward",
  "。": "stepForward",
  l: "live",
  L: "live",
};

/** Where arrow keys already mean something (a text field, a list, the timeline slider). */
function keepsArrows(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ["INPUT", "SELECT", "TEXTAREA"].includes(target.tagName);
}

/**
 * → next step, ← previous step, ? the shortcuts dialog, , and . a kernel call back or forward, L the
 * live lab; one window listener, removed on unmount.
 */
export function useLessonKeys(keys: LessonKeys): void {
  const latest = useRef(keys);
  useEffect(() => {
    latest.current = keys;
  });

  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey) return;
      if (keepsArrows(event.target) || document.querySelector("dialog[open]")) return;
      const action = ACTIONS[event.key];
      const run = action ? latest.current[action] : undefined;
      if (!run) return;
      event.preventDefault();
      run();
    };
    window.addEventListener("keydown", onKeyDown);
    return () => window.removeEventListener("keydown", onKeyDown);
  }, []);
}
