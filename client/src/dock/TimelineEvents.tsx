/**
 * Why one file over 120 lines: TimelineEvents (~70 lines) and its Entry (~20) are one contract —
 * Entry's memo holds only because the list hands it a pick function that never changes (latestPick
 * below), and a new event then renders one entry, not the whole list. Kept side by side so that
 * contract is read, and changed, in one place. No component here is over 120 lines.
 */
import { useVirtualizer } from "@tanstack/react-virtual";
import type { TFunction } from "i18next";
import { memo, useCallback, useEffect, useLayoutEffect, useRef } from "react";
import { useTranslation } from "react-i18next";
import type { LabEvent } from "../../../shared/protocol/messages.ts";
import type { RecordPrefix } from "../connection/eventRecord.ts";
import { runStartingAt, runWords, startsRun } from "../recording/engineRuns.ts";
import { describeEvent } from "./timelineText.ts";

export type TimelineEventsProps = {
  /** The events the display has played (those the record still holds are listed); at least one. */
  events: RecordPrefix;
  /** The position of the event looked at, or null for the live lab. */
  past: number | null;
  onPick: (position: number) => void;
};

type EntryProps = {
  event: LabEvent;
  position: number;
  picked: boolean;
  onPick: (position: number) => void;
  t: TFunction;
  /** The first event of an engine run: the run in words, its engine and listing, and whose clock times it. */
  runHeader?: string;
};

const Entry = memo(function Entry({ event, position, picked, onPick, t, runHeader }: EntryProps) {
  const button = (
    // One tab stop for the whole list: keyboard users move through events with the transport's slider.
    <button
      type="button"
      tabIndex={-1}
      className={`timeline-event event-${event.type.replace(".", "-")}`}
      aria-current={picked ? "true" : undefined}
      onClick={() => onPick(position)}
    >
      <span className="timeline-index">#{position + 1}</span> {describeEvent(event, t)}
    </button>
  );
  if (!runHeader) return button;
  return (
    <>
      <span className={`timeline-run timeline-run-${event.engine ?? "node"}`}>{runHeader}</span>
      {button}
    </>
  );
});

/** The header of the run that starts at `position`: each run's times are on its own engine's clock. */
function runHeaderAt(t: TFunction, events: RecordPrefix, position: number): string | undefined {
  const event = events.record.at(position);
  if (!event || !startsRun(event, events.record.at(position - 1))) return undefined;
  const run = runStartingAt(events.record, position, events.end);
  if (!run) return undefined;
  const words = runWords(t, run);
  return run.engine === "node"
    ? t("runs.timelineNode", { run: words })
    : t("runs.timelineReal", { run: words });
}

/** A list entry's height before it is measured: one line of the list's font. */
const ESTIMATED_ROW_PX = 20;

/**
 * The timeline's list of events. It is virtual: only the entries in view (and a few around them)
 * are in the DOM, however long the session. It and its virtualizer come with the Timeline tab, not
 * with the page (Timeline.tsx).
 */
export function TimelineEvents({ events, past, onPick }: TimelineEventsProps) {
  const { t } = useTranslation();
  const scroller = useRef<HTMLDivElement>(null);
  const { record, start, end } = events;
  const count = Math.max(0, end - start);
  // onPick is a new function on every render of the parent; the entries get one that never
  // changes, so their memo holds and a new event renders one entry, not the whole list.
  const latestPick = useRef(onPick);
  useLayoutEffect(() => {
    latestPick.current = onPick;
  });
  const pick = useCallback((position: number) => latestPick.current(position), []);
  const virtualizer = useVirtualizer({
    count,
    getScrollElement: () => scroller.current,
    estimateSize: () => ESTIMATED_ROW_PX,
    overscan: 12,
    getItemKey: (index) => start + index,
  });

  useEffect(() => {
    // Live, the list follows the newest event, as a log does; in the past, it keeps the picked one in view.
    if (count === 0) return;
    const frame = requestAnimationFrame(() => {
      if (past === null) virtualizer.scrollToIndex(count - 1, { align: "end" });
      else virtualizer.scrollToIndex(past - start, { align: "auto" });
    });
    return () => cancelAnimationFrame(frame);
  }, [past, count, start, virtualizer]);

  return (
    <div
      className="timeline-events"
      ref={scroller}
      // biome-ignore lint/a11y/noNoninteractiveTabindex: the list scrolls; one tab stop lets the keyboard scroll it (its entries take none)
      tabIndex={0}
    >
      <ol
        className="timeline-list"
        aria-label={t("timeline.region")}
        style={{ height: virtualizer.getTotalSize() }}
      >
        {virtualizer.getVirtualItems().map((item) => {
          const position = start + item.index;
          const event = record.at(position);
          if (!event) return null;
          return (
            <li
              key={item.key}
              data-index={item.index}
              ref={virtualizer.measureElement}
              aria-posinset={position + 1}
              aria-setsize={end}
              style={{ transform: `translateY(${item.start}px)` }}
            >
              <Entry
                event={event}
                position={position}
                picked={position === past}
                onPick={pick}
                t={t}
                runHeader={runHeaderAt(t, events, position)}
              />
            </li>
          );
        })}
      </ol>
    </div>
  );
}
