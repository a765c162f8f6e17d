import { useEffect, useRef } from "react";
import type { FocusLayout } from "./useFocusLayout.ts";

/** Where letters are typed, not shortcuts. */
function typesText(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ["INPUT", "SELECT", "TEXTAREA"].includes(target.tagName);
}

/**
 * M maximises the code (the focused module) or restores the layout, Escape restores it, and F gives
 * the room to the next module; one window listener, removed on unmount. On a phone there is one
 * view at a time already, so only F (which module's code the Code view shows first) applies.
 */
export function useLayoutKeys(focus: FocusLayout, wide: boolean, modules: readonly { id: string }[]): void {
  const latest = useRef({ focus, wide, modules });
  useEffect(() => {
    latest.current = { focus, wide, modules };
  });
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey) return;
      if (typesText(event.target) || document.querySelector("dialog[open]")) return;
      const { focus, wide, modules } = latest.current;
      if (wide && (event.key === "m" || event.key === "M")) {
        event.preventDefault();
        focus.toggleMaximised("code");
      } else if (wide && event.key === "Escape" && focus.maximised) {
        event.preventDefault();
        focus.toggleMaximised(focus.maximised);
      } else if (event.key === "f" || event.key === "F") {
        const at = modules.findIndex((module) => module.id === focus.focused);
        const next = modules[(at + 1) % modules.length];
        if (!next) return;
        event.preventDefault();
        focus.pick(next.id);
      }
    };
    window.addEventListener("keydown", onKeyDown);
    return () => window.removeEventListener("keydown", onKeyDown);
  }, []);
}
