import type { Terminal as XTerm } from "@xterm/xterm";

/** The terminal's own history: xterm keeps every cell of it, ~1.5 KiB a line. */
const SCROLLBACK_LINES = 1000;

export type XTermClasses = { XTermClass: typeof XTerm; FitAddon: typeof import("@xterm/addon-fit").FitAddon };

/** xterm opened in `element` and fitted to it as it resizes; `close` undoes both. */
export function openTerminal(
  element: HTMLDivElement,
  { XTermClass, FitAddon }: XTermClasses,
): { xterm: XTerm; close: () => void } {
  const xterm = new XTermClass({
    convertEol: true,
    disableStdin: true,
    cursorInactiveStyle: "none",
    scrollback: SCROLLBACK_LINES,
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
export async function loadXterm(): Promise<XTermClasses> {
  const [xterm, fit] = await Promise.all([import("@xterm/xterm"), import("@xterm/addon-fit")]);
  return { XTermClass: xterm.Terminal, FitAddon: fit.FitAddon };
}
