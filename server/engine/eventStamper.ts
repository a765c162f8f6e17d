import type { LabEvent, ServerEvent } from "../../shared/protocol/messages.ts";

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** A lab event before it is numbered, timed and labelled with its engine. */
export type LabEventBody = DistributiveOmit<LabEvent, "seq" | "t" | "engine" | "run">;

type EngineKind = NonNullable<LabEvent["engine"]>;

/**
 * One per session: numbers every lab event of the session once and in order, whichever engine
 * produced it, so a session that switches engines never sees a number twice or going back.
 */
export class EventStamper {
  private seq = 0;
  /** Each engine's latest `t`: the session's own events (an engine's run ended) go on its clock. */
  private readonly lastT = new Map<EngineKind | undefined, number>();
  /** Each engine's run now; absent: its next event starts a new one. */
  private readonly runs = new Map<EngineKind | undefined, number>();
  private runCount = 0;

  constructor(private readonly send: (event: ServerEvent) => void) {}

  /** Numbers and sends a lab event; `t` is seconds on the producing engine's clock. */
  stamp(event: LabEventBody, t: number, engine?: EngineKind): void {
    this.lastT.set(engine, t);
    let run = this.runs.get(engine);
    if (run === undefined) {
      run = ++this.runCount;
      this.runs.set(engine, run);
    }
    this.send({ ...event, seq: ++this.seq, t, ...(engine ? { engine } : {}), run } as LabEvent);
  }

  /** `engine`'s next event starts a new run (its clock starts again, or it is chosen again). */
  newRun(engine?: EngineKind): void {
    this.runs.delete(engine);
  }

  /** Whether `engine` stamped any event in this session. */
  hasRun(engine: EngineKind): boolean {
    return this.lastT.has(engine);
  }

  /** An event of `engine`'s run stamped at that engine's latest time (the session ends its run with such events, then calls newRun). */
  stampLatest(event: LabEventBody, engine: EngineKind): void {
    this.stamp(event, this.lastT.get(engine) ?? 0, engine);
  }

  /** Events outside the lab's log (engine status, errors): sent as they are. */
  notice(event: ServerEvent): void {
    this.send(event);
  }

  /** An engine's log on this session's numbering, timed by that engine's clock. */
  log(clock: () => number, engine?: EngineKind): EngineLog {
    return new EngineLog(this, clock, engine);
  }
}

/**
 * What an engine writes its events through: the session's numbering, the engine's clock, and the
 * event shapes every engine shares. Closed when the engine is disposed, after which it sends nothing.
 */
export class EngineLog {
  private closed = false;

  constructor(
    private readonly stamper: EventStamper,
    private readonly clock: () => number,
    private readonly engine?: EngineKind,
  ) {}

  /** `t` in seconds; the engine's clock now when not given. */
  emit(event: LabEventBody, t?: number): void {
    if (!this.closed) this.stamper.stamp(event, t ?? this.clock(), this.engine);
  }

  notice(event: ServerEvent): void {
    if (!this.closed) this.stamper.notice(event);
  }

  /** The next event starts a new run: the engine's clock starts again (a VM booted). */
  newRun(): void {
    this.stamper.newRun(this.engine);
  }

  close(): void {
    this.closed = true;
  }
}
