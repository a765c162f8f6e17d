import type { Terminal as XTerm } from "@xterm/xterm";
import "@xterm/xterm/css/xterm.css";
import { useEffect, useRef, useState } from "react";
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
      written.current = [];
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
    const extends_ = before.length <= lines.length && before.every((line, i) => line === lines[i]);
    const fresh = extends_ ? lines.slice(before.length) : lines;
    if (!extends_) xterm.reset();
    if (fresh.length > 0) xterm.write(`${fresh.join("\r\n")}\r\n`);
    written.current = lines;
  }, [lines, ready]);

  return (
    <section className="terminal" aria-label="printk">
      <h2 className="pane-title">{t("terminal.title")}</h2>
      <div className="xterm-host" ref={host} />
    </section>
  );
}

type XTermClasses = { XTermClass: typeof XTerm; FitAddon: typeof import("@xterm/addon-fit").FitAddon };

function openTerminal(
  element: HTMLDivElement,
  { XTermClass, FitAddon }: XTermClasses,
): { xterm: XTerm; close: () => void } {
  const xterm = new XTermClass({
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
  return {
    xterm,
    close: () => {
      observer.disconnect();
      xterm.dispose();
    },
  };
}

/**
 * xterm.js is the largest module of the page (a third of its script); the pane stays empty until
 * the first printk anyway, so it loads after the first paint, in a chunk of its own.
 */
async function loadXterm(): Promise<XTermClasses> {
  const [xterm, fit] = await Promise.all([import("@xterm/xterm"), import("@xterm/addon-fit")]);
  return { XTermClass: xterm.Terminal, FitAddon: fit.FitAddon };
}
