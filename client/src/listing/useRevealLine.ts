import { type RefObject, useEffect } from "react";

/** The lines a listing brings into view, in the order they win. */
export type RevealedLines = {
  currentLine?: number;
  /** Where the listings stack in a scrolling pane (a phone), this listing decides where that pane scrolls. */
  leads: boolean;
  linked?: ReadonlySet<number>;
  marked?: ReadonlySet<number>;
  focus?: { line: number };
};

/**
 * Keeps the line that matters in the listing's view: the current call's (also when the pane is
 * resized), the partner of a line pointed at in the other listing, the lesson step's first line
 * while no call is lit, and a line asked for from elsewhere (an oops' function).
 */
export function useRevealLine(
  scroller: RefObject<HTMLElement | null>,
  { currentLine, leads, linked, marked, focus }: RevealedLines,
): void {
  // In the next frame, when layout is clean: measuring now would force a layout of the whole page
  // into the render of every step. A line already in view (most steps) is left alone either way.
  useEffect(() => {
    const frame = requestAnimationFrame(() => revealLine(scroller.current, currentLine, leads));
    return () => cancelAnimationFrame(frame);
  }, [scroller, currentLine, leads]);
  // A pane resized (a split dragged, the dock grown, the window turned) keeps the current line in view.
  useEffect(() => {
    const element = scroller.current;
    if (!element || currentLine === undefined) return;
    let frame = 0;
    const observer = new ResizeObserver(() => {
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(() => revealLine(element, currentLine, leads));
    });
    observer.observe(element);
    return () => {
      observer.disconnect();
      cancelAnimationFrame(frame);
    };
  }, [scroller, currentLine, leads]);
  // The partner of a hovered line may be off screen in this listing: bring it into view, as Compiler Explorer does.
  const firstLinked = linked && linked.size > 0 ? Math.min(...linked) : undefined;
  useEffect(() => revealLine(scroller.current, firstLinked), [scroller, firstLinked]);
  // A new lesson step brings the first line it talks about into view.
  const firstMarked = marked && marked.size > 0 ? Math.min(...marked) : undefined;
  // The current line comes first: a lesson's lines are brought into view only while no call is lit.
  const hasCurrent = currentLine !== undefined;
  useEffect(() => {
    if (!hasCurrent) revealLine(scroller.current, firstMarked);
  }, [scroller, firstMarked, hasCurrent]);
  // Asked for from outside the listing (an oops' function): brought into view like the current line.
  useEffect(() => {
    if (focus) revealLine(scroller.current, focus.line, true);
  }, [scroller, focus]);
  // …and kept in view when the pane is resized (the window, a split), as the current line is.
  useEffect(() => {
    const element = scroller.current;
    if (!element || !focus) return;
    let frame = 0;
    const observer = new ResizeObserver(() => {
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(() => revealLine(element, focus.line));
    });
    observer.observe(element);
    return () => {
      observer.disconnect();
      cancelAnimationFrame(frame);
    };
  }, [scroller, focus]);
}

/**
 * Brings a line fully into view by scrolling the listing's own box and, when `outer`, any pane
 * around it that scrolls (the narrow layout's code view); never the page: nothing else moves.
 */
function revealLine(container: HTMLElement | null, line: number | undefined, outer = false): void {
  if (!container || line === undefined) return;
  const element = container.querySelector<HTMLElement>(`[data-line="${line}"]`);
  if (!element) return;
  // A phone's code view follows one module (NarrowWorkbench): the other's listings scroll only themselves.
  const last =
    outer && !container.closest('[data-followed="false"]') ? document.body : container.parentElement;
  for (let box: HTMLElement | null = container; box && box !== last; box = box.parentElement) {
    if (box !== container && !scrollsVertically(box)) continue;
    // Measured on screen: offsetTop depends on which ancestor is positioned, the box's edges do not.
    const edges = box.getBoundingClientRect();
    const lineBox = element.getBoundingClientRect();
    // Out of view, the line comes to a third of the way down: the lines that follow it show too.
    if (lineBox.top >= edges.top && lineBox.bottom <= edges.bottom) continue;
    const third = Math.max(0, (edges.height - lineBox.height) / 3);
    box.scrollTop += lineBox.top - edges.top - third;
  }
}

function scrollsVertically(element: HTMLElement): boolean {
  if (element.scrollHeight <= element.clientHeight) return false;
  const overflow = getComputedStyle(element).overflowY;
  return overflow === "auto" || overflow === "scroll";
}
