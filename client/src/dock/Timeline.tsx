import { memo, useCallback, useEffect, useLayoutEffect, useRef } from "react";
import { useTranslation } from "react-i18next";
import type { LabEvent } from "../../../shared/protocol/messages.ts";
import { describeEvent } from "./timelineText.ts";

export type TimelineProps = {
  /** Every event the display has played, oldest first. */
  events: readonly LabEvent[];
  /** The event looked at, or null for the live lab. */
  past: number | null;
  onPick: (index: number) => void;
};

type EntryProps = { event: LabEvent; index: number; picked: boolean; onPick: (index: number) => void };

const Entry = memo(function Entry({ event, index, picked, onPick }: EntryProps) {
  const { t } = useTranslation();
  return (
    <li>
      {/* One tab stop for the whole list: keyboard users move through events with the slider. */}
      <button
        type="button"
        tabIndex={-1}
        className={`timeline-event event-${event.type.replace(".", "-")}`}
        aria-current={picked ? "true" : undefined}
        onClick={() => onPick(index)}
      >
        <span className="timeline-index">#{index + 1}</span> {describeEvent(event, t)}
      </button>
    </li>
  );
});

/**
 * The session's recorded events: a slider and a list to pick one. Picking shows the listings and
 * the log as they were then; the lab itself is not touched.
 */
export function Timeline({ events, past, onPick }: TimelineProps) {
  const { t } = useTranslation();
  const list = useRef<HTMLOListElement>(null);
  const at = past ?? events.length - 1;
  // onPick is a new function on every render of the parent; the entries get one that never
  // changes, so their memo holds and a new event renders one entry, not the whole list.
  const latestPick = useRef(onPick);
  useLayoutEffect(() => {
    latestPick.current = onPick;
  });
  const pick = useCallback((index: number) => latestPick.current(index), []);

  useEffect(() => {
    // Live, the list follows the newest event, as a log does; in the past, it keeps the picked one in view.
    // In the next frame, once layout is clean: measuring here would force a layout of the whole page
    // into the render of every event.
    const follow = () => {
      const element = list.current;
      if (!element || events.length === 0) return;
      if (past === null) {
        element.scrollTop = element.scrollHeight;
        return;
      }
      const picked = element.querySelector<HTMLElement>('[aria-current="true"]');
      if (!picked) return;
      const top = picked.offsetTop - element.offsetTop;
      if (top < element.scrollTop) element.scrollTop = top;
      else if (top + picked.offsetHeight > element.scrollTop + element.clientHeight)
        element.scrollTop = top + picked.offsetHeight - element.clientHeight;
    };
    const frame = requestAnimationFrame(follow);
    return () => cancelAnimationFrame(frame);
  }, [past, events.length]);

  return (
    <section className="timeline" aria-label={t("timeline.region")}>
      <h2 className="pane-title">{t("timeline.region")}</h2>
      {events.length === 0 ? (
        <p className="timeline-empty">{t("timeline.empty")}</p>
      ) : (
        <>
          <div className="timeline-bar">
            <input
              type="range"
              min={0}
              max={events.length - 1}
              value={at}
              aria-label={t("timeline.slider")}
              aria-valuetext={describeEvent(events[at] as LabEvent, t)}
              onChange={(event) => onPick(Number(event.target.value))}
            />
            <span className="timeline-where">
              {past === null
                ? t("timeline.showingLive", { total: events.length })
                : t("timeline.showing", { n: past + 1, total: events.length })}
            </span>
          </div>
          <ol className="timeline-events" ref={list}>
            {events.map((event, index) => (
              <Entry key={event.seq} event={event} index={index} picked={index === past} onPick={pick} />
            ))}
          </ol>
        </>
      )}
    </section>
  );
}
