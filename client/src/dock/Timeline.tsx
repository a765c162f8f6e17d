import { lazy } from "react";
import { useTranslation } from "react-i18next";
import { KEEP_RUNS, type RecordPrefix } from "../connection/eventRecord.ts";
import { showingNow } from "../controls/TransportBar.tsx";
import { PaneLoading } from "./PaneLoading.tsx";

// The list and its virtualizer come with the tab, not with the page (PaneLoading.tsx).
const TimelineEvents = lazy(() =>
  import("./TimelineEvents.tsx").then((m) => ({ default: m.TimelineEvents })),
);

export type TimelineProps = {
  /** The events the display has played (those the record still holds are listed). */
  events: RecordPrefix;
  /** The position of the event looked at, or null for the live lab. */
  past: number | null;
  onPick: (position: number) => void;
  /** When a recorded run is shown: the date it was exported (ISO 8601), so the words name it. */
  recordedAt?: string;
};

/**
 * The session's recorded events, a list to pick one from (the transport beside the listings has the
 * slider). Picking shows the listings and the log as they were then; the lab itself is not touched.
 * The list itself is TimelineEvents.tsx.
 */
export function Timeline({ events, past, onPick, recordedAt }: TimelineProps) {
  const { t } = useTranslation();
  const { record, start, end } = events;
  const count = Math.max(0, end - start);
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
          <PaneLoading>
            <TimelineEvents events={events} past={past} onPick={onPick} />
          </PaneLoading>
        </>
      )}
    </section>
  );
}
