import { useEffect, useRef } from "react";

export type LessonKeys = { next: () => void; back: () => void; help: () => void };

/** Where arrow keys already mean something (a text field, a list, the timeline slider). */
function keepsArrows(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ["INPUT", "SELECT", "TEXTAREA"].includes(target.tagName);
}

/** → next step, ← previous step, ? the shortcuts dialog; one window listener, removed on unmount. */
export function useLessonKeys(keys: LessonKeys): void {
  const latest = useRef(keys);
  useEffect(() => {
    latest.current = keys;
  });

  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey) return;
      if (keepsArrows(event.target) || document.querySelector("dialog[open]")) return;
      const action =
        event.key === "ArrowRight"
          ? "next"
          : event.key === "ArrowLeft"
            ? "back"
            : event.key === "?"
              ? "help"
              : null;
      if (!action) return;
      event.preventDefault();
      latest.current[action]();
    };
    window.addEventListener("keydown", onKeyDown);
    return () => window.removeEventListener("keydown", onKeyDown);
  }, []);
}
