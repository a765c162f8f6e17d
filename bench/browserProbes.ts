/**
 * Scripts the bench installs in the page before the app runs (Playwright's addInitScript). They
 * only observe: a capture-phase click listener, a MutationObserver and a WebSocket wrapper; the
 * app's code is not touched. Each function is serialised into the page, so it uses nothing from
 * its module scope.
 *
 * "Painted" is taken as the end of the rendering task that drew the change: a rAF loop posts a
 * MessageChannel message from each frame's rAF callback, and that message is handled only once
 * the frame's style, layout and paint are done. A change made inside a frame's rAF phase (the
 * app folds events into one render per animation frame) is painted at that frame's message; a
 * change made in any other task, at the next frame's.
 */

/** One click, in ms from its event timestamp: the server's first frame back, the DOM change, the paint. */
export type ClickTiming = { response: number; dom: number; painted: number };

export type ProbeWindow = Window & {
  benchClickProbe: {
    /** Resolves once the page is idle: the previous click's work is done, as it is between a person's clicks. */
    settle(): Promise<void>;
    /** Measure the next click. */
    arm(): Promise<ClickTiming>;
  };
};

/** P2: from a click's event timestamp to the frame that painted the next change of a highlighted C line. */
export function installClickProbe(): void {
  type Pending = {
    clickAt?: number;
    response?: number;
    dom?: number;
    resolve: (timing: ClickTiming) => void;
  };
  let pending: Pending | undefined;
  let looping = false;
  const afterPaint: Array<(now: number) => void> = [];
  const channel = new MessageChannel();
  channel.port1.onmessage = () => {
    const now = performance.now();
    for (const done of afterPaint.splice(0)) done(now);
  };
  const frame = () => {
    channel.port2.postMessage(0);
    if (pending) requestAnimationFrame(frame);
    else looping = false;
  };
  const startLoop = () => {
    if (looping) return;
    looping = true;
    requestAnimationFrame(frame);
  };
  const Native = window.WebSocket;
  window.WebSocket = class extends Native {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols);
      this.addEventListener("message", () => {
        if (pending?.clickAt !== undefined && pending.response === undefined)
          pending.response = performance.now() - pending.clickAt;
      });
    }
  };
  document.addEventListener(
    "click",
    (event) => {
      if (!pending || pending.clickAt !== undefined) return;
      pending.clickAt = event.timeStamp;
      performance.mark("bench:click", { startTime: event.timeStamp });
      startLoop();
    },
    { capture: true },
  );
  const isHighlight = (node: Node): boolean =>
    node instanceof Element &&
    (node.getAttribute("aria-current") === "step" || node.querySelector('[aria-current="step"]') !== null);
  const observer = new MutationObserver((mutations) => {
    const current = pending;
    if (!current || current.clickAt === undefined || current.dom !== undefined) return;
    const changed = mutations.some((m) => {
      if (m.type === "childList") return [...m.addedNodes].some(isHighlight);
      const target = m.target as Element;
      if (!target.hasAttribute("data-line")) return false;
      return m.attributeName === "aria-current" || target.getAttribute("aria-current") === "step";
    });
    if (!changed) return;
    const clickAt = current.clickAt;
    current.dom = performance.now() - clickAt;
    performance.mark("bench:highlight-dom");
    afterPaint.push((now) => {
      performance.mark("bench:highlight-painted");
      pending = undefined;
      current.resolve({
        response: current.response ?? Number.NaN,
        dom: current.dom as number,
        painted: now - clickAt,
      });
    });
  });
  const observe = () =>
    observer.observe(document.body, {
      subtree: true,
      childList: true,
      attributes: true,
      attributeFilter: ["aria-current", "class"],
    });
  if (document.body) observe();
  else document.addEventListener("DOMContentLoaded", observe);
  (window as unknown as ProbeWindow).benchClickProbe = {
    settle: () =>
      new Promise<void>((resolve) =>
        requestAnimationFrame(() =>
          requestAnimationFrame(() => requestIdleCallback(() => resolve(), { timeout: 1000 })),
        ),
      ),
    arm: () =>
      new Promise<ClickTiming>((resolve) => {
        pending = { resolve };
      }),
  };
}

/**
 * P4: navigation start → the first frame painted after both the lab's `hello` frame has arrived
 * and a "Start server" button is enabled. Marks `bench:hello` and `bench:interactive`.
 */
export function installInteractiveProbe(): void {
  let hello = false;
  let done = false;
  let painted: (() => void) | undefined;
  const channel = new MessageChannel();
  channel.port1.onmessage = () => {
    const mark = painted;
    painted = undefined;
    mark?.();
  };
  const frame = () => {
    channel.port2.postMessage(0);
    if (!done || painted) requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
  const Native = window.WebSocket;
  window.WebSocket = class extends Native {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols);
      const onMessage = (event: MessageEvent) => {
        if (typeof event.data === "string" && event.data.includes('"type":"hello"')) {
          this.removeEventListener("message", onMessage);
          performance.mark("bench:hello");
          hello = true;
          check();
        }
      };
      // Added before the app's own listener, so the mark precedes the app's handling of hello.
      this.addEventListener("message", onMessage);
    }
  };
  const startEnabled = () =>
    [...document.querySelectorAll("button")].some(
      (b) => !b.disabled && (b.textContent ?? "").includes("Start server"),
    );
  const check = () => {
    if (done || !hello || !startEnabled()) return;
    done = true;
    observer.disconnect();
    painted = () => performance.mark("bench:interactive");
  };
  const observer = new MutationObserver(check);
  const observe = () =>
    observer.observe(document.body, {
      subtree: true,
      childList: true,
      attributes: true,
      characterData: true,
    });
  if (document.body) observe();
  else document.addEventListener("DOMContentLoaded", observe);
}

/**
 * A probe as an init script. tsx (esbuild with keepNames) wraps inner functions in `__name(…)`,
 * which exists only in Node; the page gets a local no-op of it.
 */
export function probeScript(probe: () => void): { content: string } {
  return { content: `(() => { const __name = (f) => f; (${String(probe)})(); })();` };
}
