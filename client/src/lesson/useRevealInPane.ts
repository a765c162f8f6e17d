import { type RefObject, useEffect } from "react";

/**
 * Each time `key` changes, brings the element into view in the pane that scrolls around it (the
 * lesson column), so what just appeared there is above that pane's fold. Only that pane moves:
 * scrollIntoView would also scroll the page and the workbench, which never scroll.
 */
export function useRevealInPane(element: RefObject<HTMLElement | null>, key: unknown): void {
  useEffect(() => {
    if (key === undefined) return;
    // In the next frame, when the new content has its height.
    const frame = requestAnimationFrame(() => revealInPane(element.current));
    return () => cancelAnimationFrame(frame);
  }, [element, key]);
}

const MARGIN = 8;

function revealInPane(element: HTMLElement | null): void {
  const pane = element ? scrollingAncestor(element) : undefined;
  if (!element || !pane) return;
  const box = element.getBoundingClientRect();
  const view = pane.getBoundingClientRect();
  // The element's top first, a little below the pane's edge: when it is taller than the pane, its
  // start (the question) shows, its border too.
  const top = view.top + MARGIN;
  if (box.top < top) pane.scrollTop -= top - box.top;
  else if (box.bottom > view.bottom) pane.scrollTop += Math.min(box.top - top, box.bottom - view.bottom);
}

function scrollingAncestor(element: HTMLElement): HTMLElement | undefined {
  for (let parent = element.parentElement; parent; parent = parent.parentElement) {
    const { overflowY } = getComputedStyle(parent);
    if ((overflowY === "auto" || overflowY === "scroll") && parent.scrollHeight > parent.clientHeight)
      return parent;
  }
  return undefined;
}
