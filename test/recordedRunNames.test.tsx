import { renderToStaticMarkup } from "react-dom/server";
import { I18nextProvider } from "react-i18next";
import { describe, expect, it } from "vitest";
import { Timeline } from "../client/src/dock/Timeline.tsx";
import { formatRecordedDate } from "../client/src/recording/recordedDate.ts";
import { prefixOf } from "../client/src/recording/recordedRecord.ts";
import type { LabEvent } from "../shared/protocol/messages.ts";
import { labI18n } from "./helpers/i18n.ts";

const EVENTS: LabEvent[] = [
  { type: "printk", seq: 1, t: 0.1, source: "server", text: "server init\n", cLine: 60 },
  { type: "printk", seq: 2, t: 0.2, source: "server", text: "server: got 1024 bytes\n", cLine: 60 },
  { type: "printk", seq: 3, t: 0.3, source: "client", text: "client exit\n", cLine: 60 },
];
const DATE = "2026-12-07T12:00:05.000Z";

function timelineText(language: "en" | "zh", recordedAt?: string): string {
  const html = renderToStaticMarkup(
    <I18nextProvider i18n={labI18n(language)}>
      <Timeline events={prefixOf(EVENTS)} past={null} onPick={() => {}} recordedAt={recordedAt} />
    </I18nextProvider>,
  );
  return html.replace(/<[^>]+>/g, " ").replace(/\s+/g, " ");
}

describe("the timeline's words for what it shows", () => {
  it("names an opened run by the date it was exported and never calls it the live lab", () => {
    const text = timelineText("en", DATE);
    expect(text).toContain(
      `Showing a run file exported ${formatRecordedDate(DATE)} (3 events), not the live lab`,
    );
    expect(text).not.toContain("Showing the live lab");
  });

  it("names the opened run in Chinese too", () => {
    expect(timelineText("zh", DATE)).toContain(`正在显示 ${formatRecordedDate(DATE)} 录制的运行（3 个事件）`);
  });

  it("says it shows the live lab when no run is open", () => {
    expect(timelineText("en")).toContain("Showing the live lab (3 events)");
  });

  it("writes a run's date as ISO 8601 in local time, without Intl's locale data", () => {
    const at = new Date(DATE);
    const two = (n: number) => String(n).padStart(2, "0");
    expect(formatRecordedDate(DATE)).toBe(
      `${at.getFullYear()}-${two(at.getMonth() + 1)}-${two(at.getDate())} ${two(at.getHours())}:${two(at.getMinutes())}:05`,
    );
    expect(formatRecordedDate("not a date")).toBe("not a date");
  });
});
