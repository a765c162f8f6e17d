import type { LabEvent, ServerEventOf } from "../../../shared/protocol/messages.ts";
import type { TcpRow } from "../../../shared/protocol/tcpStateMessages.ts";
import { EMPTY_MOMENT, type LabMoment, MomentFold, type TerminalEntry } from "./labMoment.ts";

/**
 * How much of a session the page keeps: the last KEEP_RUNS runs in full (a class of experiments
 * is ~15), and never more than KEEP_EVENTS events (one run that never ends). Older runs are
 * summarised; the page's cost stays bounded however long the learner stays.
 */
export const KEEP_RUNS = 20;
export const KEEP_EVENTS = 4000;

/** One run: from a module loaded into an idle lab until the next such load. */
export type RunSummary = {
  /** 1-based, counted over the whole session. */
  number: number;
  /** Position of its first event. */
  start: number;
  calls: number;
  failedCalls: number;
};

/** What the page no longer holds of the session's oldest runs. */
export type DroppedSummary = { runs: number; events: number; calls: number; failedCalls: number };

/** A source of events by position, as pacing walks it: an array, or the record itself. */
export type EventSource = { readonly length: number; at(position: number): LabEvent | undefined };

/** What "Export run" can write: every event the page still holds, and what it no longer holds. */
export type KeptRecord = { firstPosition: number; events: LabEvent[]; dropped: DroppedSummary };

/**
 * The session's event record: the events in arrival order, each with the moment it ends (every
 * index the views read, folded in as the event arrives), the printk pane's entries and the runs.
 * Positions count from the session's first event and stay valid when old runs are dropped.
 */
export class EventRecord implements EventSource {
  private events: LabEvent[] = [];
  private moments: LabMoment[] = [];
  private base: LabMoment = EMPTY_MOMENT;
  private first = 0;
  private terminal: TerminalEntry[] = [];
  private terminalFirst = 0;
  private kept: RunSummary[] = [];
  private droppedSummary: DroppedSummary = { runs: 0, events: 0, calls: 0, failedCalls: 0 };
  private readonly fold = new MomentFold();
  private runHasLoad = false;
  private lastRows = new Map<string, TcpRow>();

  constructor(
    private readonly keepRuns = KEEP_RUNS,
    private readonly keepEvents = KEEP_EVENTS,
  ) {}

  /** Position of the first event still held. */
  get start(): number {
    return this.first;
  }

  /** Events the session has had: the position the next one takes. */
  get length(): number {
    return this.first + this.events.length;
  }

  at(position: number): LabEvent | undefined {
    return position < this.first ? undefined : this.events[position - this.first];
  }

  /** The events held between two positions. */
  slice(from: number, to = this.length): LabEvent[] {
    return this.events.slice(Math.max(0, from - this.first), Math.max(0, to - this.first));
  }

  /** The moment after `count` events of the session (clamped to what is held). */
  momentAt(count: number): LabMoment {
    const index = Math.min(count, this.length) - this.first - 1;
    return index < 0 ? this.base : (this.moments[index] as LabMoment);
  }

  append(event: LabEvent): void {
    const position = this.length;
    const before = this.momentAt(position);
    if (this.kept.length === 0 || this.startsRun(event, before))
      this.kept.push({ number: this.runCount + 1, start: position, calls: 0, failedCalls: 0 });
    if (event.type === "module.state" && event.state === "loading") this.runHasLoad = true;
    const run = this.kept.at(-1) as RunSummary;
    if (event.type === "step" && event.phase === "exit") {
      run.calls++;
      if (event.result !== null && event.result < 0) run.failedCalls++;
    }
    const kept = event.type === "tcp.state" ? this.shareRows(event) : event;
    this.events.push(kept);
    this.moments.push(this.fold.next(before, kept, this.terminal));
    this.evict();
  }

  /** Runs the session has had, the dropped ones included. */
  get runCount(): number {
    return this.droppedSummary.runs + this.kept.length;
  }

  /** The runs still held, oldest first. */
  get runs(): readonly RunSummary[] {
    return this.kept;
  }

  get dropped(): DroppedSummary {
    return this.droppedSummary;
  }

  /** The run the event at `position` belongs to (the first held run for a position before it). */
  runOf(position: number): RunSummary | undefined {
    for (let i = this.kept.length - 1; i >= 0; i--) {
      const run = this.kept[i] as RunSummary;
      if (run.start <= position) return run;
    }
    return this.kept[0];
  }

  /** The printk pane after `count` entries: its last `max` entries, as far as they are held. */
  terminalEntries(count: number, max: number): { from: number; entries: TerminalEntry[] } {
    const from = Math.max(this.terminalFirst, count - max);
    return { from, entries: this.terminal.slice(from - this.terminalFirst, count - this.terminalFirst) };
  }

  /** The printk pane's entries between two of its positions, as far as they are held. */
  terminalBetween(from: number, to: number): TerminalEntry[] {
    const start = Math.max(from, this.terminalFirst) - this.terminalFirst;
    return this.terminal.slice(start, Math.max(start, to - this.terminalFirst));
  }

  /** Everything held, for "Export run", with what was dropped before it. */
  exportKept(): KeptRecord {
    return { firstPosition: this.first, events: this.events.slice(), dropped: { ...this.droppedSummary } };
  }

  /**
   * A tcp.state event lists every socket on the lab's port, and the published client leaks one per
   * run: rows that read as they did in the previous table are that table's very objects, so each
   * kept table costs its array, not its rows again.
   */
  private shareRows(event: ServerEventOf<"tcp.state">): ServerEventOf<"tcp.state"> {
    const previous = this.lastRows;
    const next = new Map<string, TcpRow>();
    const rows = event.rows.map((row) => {
      const key = rowKey(row);
      const shared = previous.get(key) ?? row;
      next.set(key, shared);
      return shared;
    });
    this.lastRows = next;
    return { ...event, rows };
  }

  /** A run begins when a module is loaded into an idle lab (whatever came before the first load is part of run 1). */
  private startsRun(event: LabEvent, before: LabMoment): boolean {
    if (event.type !== "module.state" || event.state !== "loading" || !this.runHasLoad) return false;
    return Object.values(before.modules).every((m) => m.state !== "loading" && m.state !== "live");
  }

  /** Drops whole runs from the front past KEEP_RUNS, then single events past KEEP_EVENTS. */
  private evict(): void {
    let drop = 0;
    if (this.kept.length > this.keepRuns) {
      const keptFrom = this.kept[this.kept.length - this.keepRuns] as RunSummary;
      drop = keptFrom.start - this.first;
    }
    // Past the event cap, a tenth more goes at once, so a run that never ends is not shifted per event.
    if (this.events.length > this.keepEvents)
      drop = Math.max(drop, this.events.length - Math.floor(this.keepEvents * 0.9));
    if (drop <= 0) return;
    const newFirst = this.first + drop;
    while (this.kept.length > 1 && (this.kept[1] as RunSummary).start <= newFirst) {
      const run = this.kept.shift() as RunSummary;
      this.droppedSummary.runs++;
      this.droppedSummary.calls += run.calls;
      this.droppedSummary.failedCalls += run.failedCalls;
    }
    this.droppedSummary.events += drop;
    this.base = this.moments[drop - 1] as LabMoment;
    this.events.splice(0, drop);
    this.moments.splice(0, drop);
    this.first = newFirst;
    const terminalDrop = this.base.terminal - this.terminalFirst;
    this.terminal.splice(0, terminalDrop);
    this.terminalFirst = this.base.terminal;
  }
}

function rowKey(row: TcpRow): string {
  const { family, local, remote, state, txQueue, rxQueue, inode } = row;
  return `${family} ${local.address} ${local.port} ${remote.address} ${remote.port} ${state} ${txQueue} ${rxQueue} ${inode}`;
}

/**
 * The record as one view shows it: the events before `end` (the held ones from `start`). A new
 * object whenever either moves, so views memoised on it redraw then and only then.
 */
export type RecordPrefix = { readonly record: EventRecord; readonly start: number; readonly end: number };
