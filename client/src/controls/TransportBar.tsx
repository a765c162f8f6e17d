import type { TFunction } from "i18next";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import type { LabEvent } from "../../../shared/protocol/messages.ts";
import { MODULES } from "../../../shared/protocol/steps.ts";
import type { RecordPrefix } from "../connection/eventRecord.ts";
import { type ModuleView, stateWords } from "../connection/labView.ts";
import { describeEvent } from "../dock/timelineText.ts";
import { useStateWording } from "./useStateWording.ts";
import type { Transport } from "./useTransport.ts";
import { formatRecordedDate } from "../recording/recordedDate.ts";

export type TransportBarProps = {
  /** The events the display has played (the slider spans those the record still holds). */
  events: RecordPrefix;
  /** The position of the event looked at, or null for the live lab. */
  past: number | null;
  /** The modules as the listings show them (at `past`, or live). */
  views: Readonly<Record<(typeof MODULES)[number], ModuleView>>;
  transport: Transport;
  /** Step mode and the display speed, at the head of the row. */
  toolbar: ReactNode;
  onPick: (position: number) => void;
  onLive: () => void;
  /** When a recorded run is shown: the date it was exported (ISO 8601), so the words name it. */
  recordedAt?: string;
};

/**
 * Python Tutor's controls beside the listings: one kernel call back or forward over the recorded
 * events, the slider over all of them, and the way back to the live lab. Looking back only picks
 * what the listings and the log show; no socket call is undone.
 */
export function TransportBar({
  events,
  past,
  views,
  transport,
  toolbar,
  onPick,
  onLive,
  recordedAt,
}: TransportBarProps) {
  const { t } = useTranslation();
  const wording = useStateWording();
  const { at } = transport;
  const { record, start, end } = events;
  return (
    <section className="transport" aria-label={t("transport.region")}>
      <div className="transport-controls">
        {toolbar}
        <button
          type="button"
          aria-disabled={!transport.canBack}
          onClick={transport.back}
          aria-keyshortcuts=","
        >
          <span aria-hidden="true">◀ </span>
          {t("transport.back")}
        </button>
        <button
          type="button"
          aria-disabled={!transport.canForward}
          onClick={transport.forward}
          aria-keyshortcuts="."
        >
          {t("transport.forward")}
          <span aria-hidden="true"> ▶</span>
        </button>
        {end > start ? (
          <input
            type="range"
            className="transport-slider"
            min={start}
            max={end - 1}
            value={at}
            aria-label={t("timeline.slider")}
            aria-valuetext={describeEvent(record.at(at) as LabEvent, t)}
            onChange={(event) => onPick(Number(event.target.value))}
          />
        ) : (
          <span className="transport-empty">{t("timeline.empty")}</span>
        )}
        <button
          type="button"
          className={past === null ? undefined : "primary"}
          aria-disabled={past === null}
          aria-keyshortcuts="L"
          onClick={onLive}
        >
          {t("timeline.live")}
        </button>
      </div>
      {/* Live, the words are for screen readers only: the slider at its end says it to the eye. */}
      <p className={past === null ? "visually-hidden" : "transport-status"} role="status">
        {past === null
          ? showingNow(t, end, recordedAt)
          : t("timeline.pastBanner", { n: past + 1, total: end })}
        {past === null ? null : (
          <span className="past-states">
            {" "}
            {t("timeline.atThatMoment")}:{" "}
            {MODULES.map(
              (module) => `${t(`module.${module}.name`)} — ${stateWords(views[module], wording)}`,
            ).join(" · ")}
          </span>
        )}
      </p>
    </section>
  );
}

/** What the newest moment is: the live lab, or the recorded run that was opened (named by its date). */
export function showingNow(t: TFunction, total: number, recordedAt: string | undefined): string {
  if (recordedAt === undefined) return t("timeline.showingLive", { total });
  return t("timeline.showingRun", { total, date: formatRecordedDate(recordedAt) });
}
