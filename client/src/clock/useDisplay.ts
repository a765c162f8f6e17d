import { createContext, useContext, useMemo, useSyncExternalStore } from "react";
import type { ModuleName, StepId, Variant } from "../../../shared/protocol/steps.ts";
import type { RecordPrefix } from "../connection/eventRecord.ts";
import { INITIAL_SNAPSHOT } from "../connection/labConnection.ts";
import type { PrintedLines } from "../connection/labMoment.ts";
import type { CurrentStep, ModuleView } from "../connection/labView.ts";
import type { Side } from "../listing/compareSides.ts";
import type { LineTone } from "../listing/Listing.tsx";
import { DEFAULT_PACE } from "../lesson/pacing.ts";
import type { DisplayClock, DisplayState } from "./displayClock.ts";

/** The page's display clock (null before the lab's connection is made: the page shows an idle lab). */
export const DisplayClockContext = createContext<DisplayClock | null>(null);

const EMPTY: RecordPrefix = { record: INITIAL_SNAPSHOT.record, start: 0, end: 0 };
const IDLE: DisplayState = {
  pace: DEFAULT_PACE,
  live: EMPTY,
  paced: EMPTY,
  shown: EMPTY,
  moment: EMPTY.record.momentAt(0),
  liveMoment: EMPTY.record.momentAt(0),
  past: null,
  linkedAt: null,
  linkedOutside: null,
  recorded: null,
};
const noSubscribe = () => () => {};

export function useDisplayClock(): DisplayClock | null {
  return useContext(DisplayClockContext);
}

/**
 * One part of what the display shows. The component re-renders only when that part changes, so
 * `select` must return objects the state already holds (a moment's module view, a prefix), never new ones.
 */
export function useDisplay<T>(select: (state: DisplayState) => T): T {
  const clock = useDisplayClock();
  const read = () => select(clock?.getSnapshot() ?? IDLE);
  // The same read when rendered to markup (the unit tests render views without a browser).
  return useSyncExternalStore(clock?.subscribe ?? noSubscribe, read, read);
}

const NOTHING_PRINTED: PrintedLines = {};

/** A module as its pane shows it: at the moment shown, live (its controls act on the lab), its last printk's lines. */
export type ModuleShown = { view: ModuleView; liveView: ModuleView; printed: PrintedLines };

/** A module's pane reads its own module: each part is the moment's shared object, so nothing else redraws it. */
export function useModuleView(module: ModuleName): ModuleShown {
  const view = useDisplay((state) => state.moment.modules[module]);
  const liveView = useDisplay((state) => state.liveMoment.modules[module]);
  const printed = useDisplay((state) => state.moment.printed[module] ?? NOTHING_PRINTED);
  return { view, liveView, printed };
}

/** The tone of a module's lit line: held by step mode, in its call, or returned (failed or not). */
export function toneOf(view: ModuleView): LineTone | undefined {
  const current = view.current;
  if (!current) return undefined;
  if (current.phase === "waiting") return "waiting";
  if (current.phase === "running") return "running";
  return current.result !== null && current.result < 0 ? "error" : "ok";
}

/** Which listing's lines are lit: one side of a module's compare, in the listing variant shown. */
export type LitSource = { module: ModuleName; variant: Variant; side: Side };

/** The module's call at the moment shown, if the listing of `variant` has it (another listing's call lights nothing). */
function shownCall(state: DisplayState, module: ModuleName, variant: Variant): CurrentStep | undefined {
  const current = state.moment.modules[module].current;
  return current?.variant === variant ? current : undefined;
}

/**
 * The lit line of one listing at the moment shown, its tone and its last printk's line, read where the line is drawn
 * (listing/Listing.tsx), not handed down through the pane. All are primitives: an event
 * redraws only the listings whose lines changed. Without a source, nothing is lit from the clock.
 */
export function useLitLine(source: LitSource | undefined): {
  line?: number;
  tone?: LineTone;
  /** The line whose printk printed last, in the listing of the variant the module runs. */
  printed?: number;
} {
  const line = useDisplay((state) => {
    if (!source) return undefined;
    const current = shownCall(state, source.module, source.variant);
    return source.side === "c" ? current?.cLine : current?.tsLine;
  });
  const tone = useDisplay((state) => (source ? toneOf(state.moment.modules[source.module]) : undefined));
  const printed = useDisplay((state) => {
    if (!source || state.moment.modules[source.module].variant !== source.variant) return undefined;
    const lines = state.moment.printed[source.module];
    return source.side === "c" ? lines?.cLine : lines?.tsLine;
  });
  return { line, tone, printed };
}

/** The step a module's listing of `variant` is at, at the moment shown (the compare explains it while nothing is pointed at). */
export function useShownStep(module: ModuleName, variant: Variant): StepId | undefined {
  return useDisplay((state) => shownCall(state, module, variant)?.step);
}

/** The dock's tabs, each with the part of the display it reads. */
export type DockView = {
  /** printk: the record and its entries up to the moment shown. */
  printk: { record: RecordPrefix["record"]; entries: number };
  /** Sockets, sequence, bytes, calls, system calls: the events up to the moment shown. */
  shown: RecordPrefix;
  /** The timeline: the events held and the position looked at. */
  timeline: { events: RecordPrefix; past: number | null };
};

/** What one dock tab reads of the display, and nothing more: the other tabs' changes do not redraw it. */
export function useDockView<K extends keyof DockView>(tab: K): DockView[K] {
  const timeline = tab === "timeline";
  const shown = useDisplay((state) => (timeline ? null : state.shown));
  const entries = useDisplay((state) => (tab === "printk" ? state.moment.terminal : 0));
  const paced = useDisplay((state) => (timeline ? state.paced : null));
  const past = useDisplay((state) => (timeline ? state.past : null));
  return useMemo(() => {
    const views: DockView = {
      printk: { record: (shown ?? EMPTY).record, entries },
      shown: shown ?? EMPTY,
      timeline: { events: paced ?? EMPTY, past },
    };
    return views[tab];
  }, [tab, shown, entries, paced, past]);
}
