import { type RefObject, useEffect, useState } from "react";

/** Rows [from, to) of a tall drawing that are in view (with a margin), of `count` rows `rowPx` high. */
export type RowWindow = { from: number; to: number };

/** Rows drawn beyond the view on each side, so a scroll shows drawn rows before it is caught up. */
const MARGIN_ROWS = 20;
/** The window moves in steps of this many rows: a scroll of a few pixels draws nothing new. */
const STEP_ROWS = 10;

function scrollParent(element: Element): HTMLElement | null {
  for (let node = element.parentElement; node; node = node.parentElement) {
    const overflow = getComputedStyle(node).overflowY;
    if (overflow === "auto" || overflow === "scroll") return node;
  }
  return null;
}

/**
 * Which rows of a drawing are on screen, for a drawing too long to put in the DOM whole (a run file
 * of 35,000 events gives 400 rows of three SVG elements each: drawing them all was a 0.6 s task, and
 * as long again of layout). `top` is the y of row 0 inside the element; the rows are read from its
 * nearest scrolling ancestor (the dock's pane) as it scrolls or resizes. Until it is measured, the
 * first rows are drawn.
 */
export function useRowsInView(
  element: RefObject<Element | null>,
  count: number,
  rowPx: number,
  top: number,
  enabled: boolean,
): RowWindow {
  const [window, setWindow] = useState<RowWindow>({ from: 0, to: 2 * MARGIN_ROWS });
  useEffect(() => {
    const target = element.current;
    if (!enabled || !target) return;
    const scroller = scrollParent(target);
    if (!scroller) return;
    let frame = 0;
    const measure = () => {
      frame = 0;
      const offset = target.getBoundingClientRect().top - scroller.getBoundingClientRect().top;
      const first = Math.floor((-offset - top) / rowPx) - MARGIN_ROWS;
      const last = Math.ceil((-offset - top + scroller.clientHeight) / rowPx) + MARGIN_ROWS;
      const from = Math.max(0, Math.floor(first / STEP_ROWS) * STEP_ROWS);
      const to = Math.min(count, Math.ceil(last / STEP_ROWS) * STEP_ROWS);
      setWindow((was) => (was.from === from && was.to === to ? was : { from, to }));
    };
    const schedule = () => {
      if (frame === 0) frame = requestAnimationFrame(measure);
    };
    schedule();
    scroller.addEventListener("scroll", schedule, { passive: true });
    const resize = new ResizeObserver(schedule);
    resize.observe(scroller);
    return () => {
      scroller.removeEventListener("scroll", schedule);
      resize.disconnect();
      if (frame !== 0) cancelAnimationFrame(frame);
    };
  }, [element, count, rowPx, top, enabled]);
  return enabled ? window : { from: 0, to: count };
}
