import { type RefObject, useEffect } from "react";

/**
 * Hovering a mapped line reports it, through one delegated listener rather than one per line.
 * Hover is the pointer's shortcut; keyboard users reach the same through each line's gutter button.
 */
export function usePointedLine(
  scroller: RefObject<HTMLElement | null>,
  mapped: Readonly<Record<number, string>> | undefined,
  onLineHover: ((line: number | undefined) => void) | undefined,
): void {
  useEffect(() => {
    const container = scroller.current;
    if (!container || !mapped || !onLineHover) return;
    let pointed: number | undefined;
    const point = (line: number | undefined) => {
      if (line === pointed) return;
      pointed = line;
      onLineHover(line);
    };
    const onOver = (event: MouseEvent) => {
      const row = (event.target as Element | null)?.closest?.("[data-line]");
      const line = row ? Number(row.getAttribute("data-line")) : undefined;
      point(line !== undefined && mapped[line] !== undefined ? line : undefined);
    };
    const onLeave = () => point(undefined);
    container.addEventListener("mouseover", onOver);
    container.addEventListener("mouseleave", onLeave);
    return () => {
      container.removeEventListener("mouseover", onOver);
      container.removeEventListener("mouseleave", onLeave);
    };
  }, [scroller, mapped, onLineHover]);
}
