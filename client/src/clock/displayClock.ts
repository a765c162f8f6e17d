import { createContext, useContext, useSyncExternalStore } from "react";
import type { RunFile } from "../../../shared/protocol/runFile.ts";
import { MODULES } from "../../../shared/protocol/steps.ts";
import { EventRecord, type RecordPrefix } from "../connection/eventRecord.ts";
import type { LabMoment } from "../connection/labMoment.ts";
import { DEFAULT_PACE, nextBeat, PACES, type Pace } from "../lesson/pacing.ts";
import { linkedMoment } from "../lesson/atParam.ts";
import { prefixOf } from "../recording/recordedRecord.ts";

/** What the clock reads of the lab: the connection's record and whether the learner is the pace. */
export type ClockSource = {
  subscribe: (listener: () => void) => () => void;
  getSnapshot: () => { record: EventRecord; length: number; start: number; stepMode: boolean };
};

/**
 * What the display shows now, one object per change (React's useSyncExternalStore compares it):
 * the views read the moment they need from it instead of having it handed down.
 */
export type DisplayState = {
  pace: Pace;
  /** The live lab's events as the display has played them (all of them in step mode or at "instant"). */
  live: RecordPrefix;
  /** The events the timeline holds: `live`, or an opened run's. */
  paced: RecordPrefix;
  /** What the listings and the log show: `paced`, or its first `past + 1` events. */
  shown: RecordPrefix;
  /** The moment `shown` ends at, and the live lab's (the module controls act on the live lab). */
  moment: LabMoment;
  liveMoment: LabMoment;
  /** The timeline position looked at, or null for the newest (the live lab, or an opened run's end). */
  past: number | null;
  /** A link's ?at=N (1-based) that waits for its recorded run to be opened. */
  linkedAt: number | null;
  /** A link's ?at=N that the run opened has no event N for: N and the run's events, said beside it. */
  linkedOutside: { n: number; total: number } | null;
  /** The run file open, if any: the timeline, listings and log show it; the live lab goes on. */
  recorded: RunFile | null;
};

/** Schedules one beat; returns its cancel. The clock owns its one timer and clears it on dispose. */
export type Timer = (run: () => void, ms: number) => () => void;

const realTimer: Timer = (run, ms) => {
  const id = setTimeout(run, ms);
  return () => clearTimeout(id);
};

/**
 * The display clock, a store with its own hooks (the class, then useDisplay at the end of this file):
 * pacing (one kernel call per beat on screen while the lab runs at full speed),
 * the timeline's cursor (live, or a moment looked back at), an opened run. It sits beside the event
 * record and never sends a command: the lab stays live whatever the display shows.
 */
export class DisplayClock {
  private pace: Pace;
  private cursor: number;
  private selected: number | null = null;
  private linkedAt: number | null;
  private linkedOutside: DisplayState["linkedOutside"] = null;
  private recorded: RunFile | null = null;
  private recordedPrefix: RecordPrefix | null = null;
  /** Reset the lab was pressed: the display shows every event at once until the lab is idle. */
  private resetting = false;
  private lastBeat = Number.NEGATIVE_INFINITY;
  private cancelBeat: (() => void) | null = null;
  private state: DisplayState;
  private readonly listeners = new Set<() => void>();
  private readonly unsubscribe: () => void;

  constructor(
    private readonly source: ClockSource,
    options: { pace: Pace; linkedAt: number | null; timer?: Timer; now?: () => number },
  ) {
    this.pace = options.pace;
    this.linkedAt = options.linkedAt;
    this.timer = options.timer ?? realTimer;
    this.now = options.now ?? (() => performance.now());
    this.cursor = source.getSnapshot().length;
    this.state = this.derive(null);
    this.unsubscribe = source.subscribe(this.onSource);
  }

  private readonly timer: Timer;
  private readonly now: () => number;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getSnapshot = (): DisplayState => this.state;

  setPace = (pace: Pace): void => {
    if (pace === this.pace) return;
    // Leaving "instant" starts pacing from what is shown: nothing already on screen is replayed.
    if (this.ms() === 0) this.cursor = this.source.getSnapshot().length;
    this.pace = pace;
    // The beat waiting was timed for the old pace.
    this.cancelBeat?.();
    this.cancelBeat = null;
    this.update();
  };

  /** Looks at the moment ending with the event at `position`; the newest event is the live lab. */
  viewPast = (position: number): void => {
    const { paced } = this.state;
    this.selected = position >= paced.end - 1 ? null : position;
    this.update();
  };

  backToLive = (): void => {
    this.selected = null;
    this.update();
  };

  /**
   * Reset the lab: the display goes to the live lab at once, the calls it still had queued included,
   * and shows the reset's own events (the exits' calls, the rmmods) as they come until the lab is idle.
   */
  jumpToLive = (): void => {
    this.selected = null;
    this.resetting = !idle(this.source.getSnapshot());
    this.cursor = this.source.getSnapshot().length;
    this.update();
  };

  /** Opens a run file: at the moment a link named, else at its last moment with a lit line. */
  openRun = (run: RunFile): void => {
    this.recorded = run;
    this.recordedPrefix = prefixOf(run.events);
    const linked = this.linkedAt;
    // A link names a moment of the first run opened only; one the run lacks is said, never guessed.
    const moment = linked === null ? null : linkedMoment(linked, run.events.length);
    this.linkedOutside =
      linked !== null && moment === "outside" ? { n: linked, total: run.events.length } : null;
    this.selected = moment && moment !== "outside" ? moment.position : lastLitPosition(this.recordedPrefix);
    this.linkedAt = null;
    this.update();
  };

  closeRun = (): void => {
    this.recorded = null;
    this.linkedOutside = null;
    this.recordedPrefix = null;
    this.selected = null;
    this.update();
  };

  dispose(): void {
    this.cancelBeat?.();
    this.cancelBeat = null;
    this.unsubscribe();
    this.listeners.clear();
  }

  private onSource = (): void => {
    const lab = this.source.getSnapshot();
    if (this.resetting) {
      // The reset's events are shown as they come, the one that leaves the lab idle included.
      this.cursor = lab.length;
      if (idle(lab)) this.resetting = false;
    }
    this.update();
  };

  /** The milliseconds a beat takes now: none in step mode (the learner is the pace) or while resetting. */
  private ms(): number {
    return this.source.getSnapshot().stepMode || this.resetting ? 0 : PACES[this.pace];
  }

  private update(): void {
    const { length } = this.source.getSnapshot();
    if (this.ms() === 0) {
      this.cursor = length;
      this.cancelBeat?.();
      this.cancelBeat = null;
    } else if (this.cursor < length && !this.cancelBeat) {
      this.schedule();
    }
    const next = this.derive(this.state);
    if (next === this.state) return;
    this.state = next;
    for (const listener of this.listeners) listener();
  }

  private schedule(): void {
    const wait = Math.max(0, this.lastBeat + this.ms() - this.now());
    this.cancelBeat = this.timer(() => {
      this.cancelBeat = null;
      const lab = this.source.getSnapshot();
      const beat = nextBeat(lab.record, Math.max(this.cursor, lab.start));
      if (beat.hasCall) this.lastBeat = this.now();
      this.cursor = beat.end;
      this.update();
    }, wait);
  }

  /** The state for what the clock holds now; the one before when nothing the views read moved. */
  private derive(before: DisplayState | null): DisplayState {
    const { record, start, length } = this.source.getSnapshot();
    const liveEnd = Math.max(start, Math.min(this.cursor, length));
    const live = samePrefix(before?.live, record, start, liveEnd) ?? { record, start, end: liveEnd };
    const paced = this.recordedPrefix ?? live;
    // A moment whose run was dropped from the record can no longer be shown: back to live.
    const selected = this.selected;
    const past = selected !== null && selected < paced.end && selected >= paced.start ? selected : null;
    const shownEnd = past === null ? paced.end : past + 1;
    const shown = samePrefix(before?.shown, paced.record, paced.start, shownEnd) ?? {
      ...paced,
      end: shownEnd,
    };
    if (
      before &&
      before.live === live &&
      before.paced === paced &&
      before.shown === shown &&
      before.past === past &&
      before.pace === this.pace &&
      before.linkedAt === this.linkedAt &&
      before.linkedOutside === this.linkedOutside &&
      before.recorded === this.recorded
    )
      return before;
    return {
      pace: this.pace,
      live,
      paced,
      shown,
      moment: shown.record.momentAt(shown.end),
      liveMoment: live.record.momentAt(live.end),
      past,
      linkedAt: this.linkedAt,
      linkedOutside: this.linkedOutside,
      recorded: this.recorded,
    };
  }
}

function samePrefix(
  prefix: RecordPrefix | undefined,
  record: EventRecord,
  start: number,
  end: number,
): RecordPrefix | undefined {
  return prefix && prefix.record === record && prefix.start === start && prefix.end === end
    ? prefix
    : undefined;
}

/** No module loaded or loading: a reset has nothing left to do. */
function idle(lab: { record: EventRecord; length: number }): boolean {
  const modules = lab.record.momentAt(lab.length).modules;
  return MODULES.every((module) => modules[module].state !== "loading" && modules[module].state !== "live");
}

/**
 * Where an opened run is shown first: its last moment with a lit line (a run ends with its modules
 * unloaded, which keeps none), or null when its end has one or none ever had.
 */
export function lastLitPosition(prefix: RecordPrefix): number | null {
  const lit = (count: number) => MODULES.some((m) => prefix.record.momentAt(count).modules[m].current);
  if (lit(prefix.end)) return null;
  for (let position = prefix.end - 2; position >= prefix.start; position--)
    if (lit(position + 1)) return position;
  return null;
}

/** The page's display clock (null before the lab's connection is made: the page shows an idle lab). */
export const DisplayClockContext = createContext<DisplayClock | null>(null);

const EMPTY: RecordPrefix = { record: new EventRecord(), start: 0, end: 0 };
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
 * How a view reads the display: one part of what it shows, and the view re-renders only when that
 * part changes, so `select` must return objects the state already holds (a moment's module view, a
 * prefix) or primitives, never new ones.
 */
export function useDisplay<T>(select: (state: DisplayState) => T): T {
  const clock = useDisplayClock();
  const read = () => select(clock?.getSnapshot() ?? IDLE);
  // The same read when rendered to markup (the unit tests render views without a browser).
  return useSyncExternalStore(clock?.subscribe ?? noSubscribe, read, read);
}
