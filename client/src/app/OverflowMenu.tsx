import { type ReactNode, useEffect, useId, useRef, useState } from "react";
import "./overflowMenu.css";

export type OverflowMenuProps = {
  /** The button's visible name (what the menu holds, or "More"). */
  label: ReactNode;
  /** The panel's content; a function gets whether the panel is open (for what is shown only then). */
  children: ReactNode | ((open: boolean) => ReactNode);
  className?: string;
};

/**
 * A button that shows the controls a bar has no room for, in a panel under it (a disclosure, not
 * an ARIA menu: it holds ordinary buttons, selects and checkboxes). The panel stays mounted while
 * closed, so what was picked in it is kept. Escape or a press outside closes it.
 */
export function OverflowMenu({ label, children, className }: OverflowMenuProps) {
  const [open, setOpen] = useState(false);
  const panelId = useId();
  const root = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (!open) return;
    const outside = (event: PointerEvent) => {
      if (!root.current?.contains(event.target as Node)) setOpen(false);
    };
    // Esc closes the panel only: the layout's Esc (restore a maximised pane) waits for the next one.
    const closeOnEscape = (event: KeyboardEvent) => {
      if (event.key !== "Escape") return;
      event.stopPropagation();
      setOpen(false);
      button.current?.focus();
    };
    const element = root.current;
    document.addEventListener("pointerdown", outside);
    element?.addEventListener("keydown", closeOnEscape);
    return () => {
      document.removeEventListener("pointerdown", outside);
      element?.removeEventListener("keydown", closeOnEscape);
    };
  }, [open]);
  return (
    <div className={`overflow-menu${className ? ` ${className}` : ""}`} ref={root}>
      <button
        ref={button}
        type="button"
        className="overflow-button"
        aria-expanded={open}
        aria-controls={panelId}
        onClick={() => setOpen(!open)}
      >
        {label} <span aria-hidden="true">▾</span>
      </button>
      <div id={panelId} className="overflow-panel" hidden={!open}>
        {typeof children === "function" ? children(open) : children}
      </div>
    </div>
  );
}
