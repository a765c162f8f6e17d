import { FitAddon } from "@xterm/addon-fit";
import { Terminal as XTerm } from "@xterm/xterm";
import "@xterm/xterm/css/xterm.css";
import { useEffect, useRef } from "react";
import { useTranslation } from "react-i18next";

export type TerminalProps = { lines: readonly string[] };

/**
 * The printk pane: an xterm.js terminal fed the kernel log. New lines are appended in one write;
 * when the log is not an extension of what was written (time travel, a new session) it is redrawn.
 */
export function Terminal({ lines }: TerminalProps) {
  const host = useRef<HTMLDivElement>(null);
  const term = useRef<XTerm | null>(null);
  const written = useRef<readonly string[]>([]);
  const { t } = useTranslation();

  useEffect(() => {
    const element = host.current;
    if (!element) return;
    const xterm = new XTerm({
      convertEol: true,
      disableStdin: true,
      cursorInactiveStyle: "none",
      scrollback: 10_000,
      fontSize: 13,
      fontFamily: "ui-monospace, SFMono-Regular, Menlo, Consolas, monospace",
      theme: { background: "#14161a", foreground: "#d8dee9" },
    });
    const fit = new FitAddon();
    xterm.loadAddon(fit);
    xterm.open(element);
    // The pane takes no input: Tab must move focus on, not be typed into the terminal (a keyboard trap).
    xterm.attachCustomKeyEventHandler((event) => event.key !== "Tab");
    const refit = () => {
      if (element.clientWidth > 0) fit.fit();
    };
    refit();
    const observer = new ResizeObserver(refit);
    observer.observe(element);
    term.current = xterm;
    written.current = [];
    return () => {
      observer.disconnect();
      xterm.dispose();
      term.current = null;
    };
  }, []);

  // xterm names its hidden input once, in English: say it in the page's language, and again on a switch.
  useEffect(() => {
    term.current?.textarea?.setAttribute("aria-label", t("terminal.input"));
  }, [t]);

  useEffect(() => {
    const xterm = term.current;
    if (!xterm) return;
    const before = written.current;
    const extends_ = before.length <= lines.length && before.every((line, i) => line === lines[i]);
    const fresh = extends_ ? lines.slice(before.length) : lines;
    if (!extends_) xterm.reset();
    if (fresh.length > 0) xterm.write(`${fresh.join("\r\n")}\r\n`);
    written.current = lines;
  }, [lines]);

  return (
    <section className="terminal" aria-label="printk">
      <h2 className="pane-title">{t("terminal.title")}</h2>
      <div className="xterm-host" ref={host} />
    </section>
  );
}
