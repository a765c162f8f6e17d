import { useVirtualizer } from "@tanstack/react-virtual";
import type { TFunction } from "i18next";
import { memo, useCallback, useEffect, useLayoutEffect, useRef } from "react";
import { useTranslation } from "react-i18next";
import type { LabEvent } from "../../../shared/protocol/messages.ts";
import { KEEP_RUNS, type RecordPrefix } from "../connection/eventRecord.ts";
import { showingNow } from "../controls/TransportBar.tsx";
import { runStartingAt, runWords, startsRun } from "../recording/engineRuns.ts";
import { describeEvent } from "./timelineText.ts";

export type TimelineProps = {
  /** The events the display has played (those the record still holds are listed). */
  events: RecordPrefix;
  /** The position of the event looked at, or null for the live lab. */
  past: number | null;
  onPick: (position: number) => void;
  /** When a recorded run is shown: the date it was exported (ISO 8601), so the words name it. */
  recordedAt?: string;
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
 * The session's recorded events, a list to pick one from (the transport beside the listings has the
 * slider). Picking shows the listings and the log as they were then; the lab itself is not touched.
 * The list is virtual: only the entries in view (and a few around them) are in the DOM, however
 * long the session.
 */
export function Timeline({ events, past, onPick, recordedAt }: TimelineProps) {
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

  const dropped = record.dropped;
  return (
    <section className="timeline" aria-label={t("timeline.region")}>
      <h2 className="pane-title">{t("timeline.region")}</h2>
      {dropped.runs > 0 ? (
        <p className="timeline-dropped">
          {t("timeline.dropped", {
            keep: KEEP_RUNS,
            runs: dropped.runs,
            events: dropped.events,
            calls: dropped.calls,
            failed: dropped.failedCalls,
          })}
        </p>
      ) : null}
      {count === 0 ? (
        <p className="timeline-empty">{t("timeline.empty")}</p>
      ) : (
        <>
          <p className="timeline-where">
            {past === null
              ? showingNow(t, end, recordedAt)
              : t("timeline.showing", { n: past + 1, total: end })}
          </p>
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
        </>
      )}
    </section>
  );
}
