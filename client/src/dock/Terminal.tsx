import type { Terminal as XTerm } from "@xterm/xterm";
import "@xterm/xterm/css/xterm.css";
import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { formatDmesg } from "../../../shared/kernelLog/printk.ts";
import { visibleText } from "../../../shared/kernelLog/visibleText.ts";
import type { ServerEventOf } from "../../../shared/protocol/messages.ts";
import type { EventRecord } from "../connection/eventRecord.ts";
import type { TerminalEntry } from "../connection/labMoment.ts";
import { loadXterm, openTerminal } from "./xtermPane.ts";

export type TerminalProps = {
  record: EventRecord;
  /** How many of the record's printk-pane entries the shown moment has. */
  entries: number;
  /** How a boot log is shown: folded into one line, or (undefined) every record. */
  fold?: (boot: ServerEventOf<"kernel.boot">) => string;
};

/**
 * What a redraw writes back: the newest entries, not the session's (the terminal keeps
 * SCROLLBACK_LINES, xtermPane.ts). A run prints about 15 lines.
 */
const REDRAW_ENTRIES = 500;
const WRITE_LINES = 25;

type Written = { record: EventRecord | null; entries: number; fold?: TerminalProps["fold"] };

/**
 * The printk pane: an xterm.js terminal fed the kernel log. Entries that follow what was written
 * are appended in one write; otherwise (time travel, the boot log unfolded, a new session) the pane
 * is redrawn from the newest REDRAW_ENTRIES. Either way the cost is the new lines', not the session's.
 */
export function Terminal({ record, entries, fold }: TerminalProps) {
  const host = useRef<HTMLDivElement>(null);
  const term = useRef<XTerm | null>(null);
  const written = useRef<Written>({ record: null, entries: 0 });
  const [ready, setReady] = useState(false);
  const { t } = useTranslation();

  useEffect(() => {
    const element = host.current;
    if (!element) return;
    let cancelled = false;
    let close: (() => void) | undefined;
    void loadXterm().then((classes) => {
      if (cancelled) return;
      const opened = openTerminal(element, classes);
      term.current = opened.xterm;
      written.current = { record: null, entries: 0 };
      close = () => {
        opened.close();
        term.current = null;
      };
      setReady(true);
    });
    return () => {
      cancelled = true;
      close?.();
    };
  }, []);

  // xterm names its hidden input once, in English: say it in the page's language, and again on a switch.
  useEffect(() => {
    if (ready) term.current?.textarea?.setAttribute("aria-label", t("terminal.input"));
  }, [t, ready]);

  useEffect(() => {
    const xterm = term.current;
    if (!xterm || !ready) return;
    const before = written.current;
    const appends =
      before.record === record &&
      before.fold === fold &&
      before.entries <= entries &&
      entries - before.entries <= REDRAW_ENTRIES;
    const fresh = appends
      ? record.terminalBetween(before.entries, entries)
      : record.terminalEntries(entries, REDRAW_ENTRIES).entries;
    if (!appends) xterm.reset();
    const lines = fresh.flatMap((entry) => entryLines(entry, fold));
    // In writes of WRITE_LINES: xterm parses its queue between tasks write by write, so a redraw
    // of hundreds of lines is many short tasks rather than one long one.
    for (let i = 0; i < lines.length; i += WRITE_LINES)
      xterm.write(`${lines.slice(i, i + WRITE_LINES).join("\r\n")}\r\n`);
    written.current = { record, entries, fold };
  }, [record, entries, fold, ready]);

  return (
    <section className="terminal" aria-label="printk">
      <h2 className="pane-title">{t("terminal.title")}</h2>
      <div className="xterm-host" ref={host} />
    </section>
  );
}

/**
 * A dmesg or shell line; a boot log as its one folded line (styled by `fold`, which makes its own
 * text visible), or every record. Each is written as text (visibleText): whatever a record holds,
 * from the lab or an opened file, reaches xterm with no control character xterm would act on.
 */
function entryLines(entry: TerminalEntry, fold: TerminalProps["fold"]): string[] {
  if (typeof entry === "string") return [visibleText(entry)];
  if (fold) return [fold(entry)];
  return entry.records.map((record) => visibleText(formatDmesg(record.t, record.text)));
}
