import type { LabEvent, ServerEvent } from "../../shared/protocol/messages.ts";

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** A lab event before it is numbered and timed. */
export type LabEventBody = DistributiveOmit<LabEvent, "seq" | "t">;

/**
 * One per session: numbers every lab event of the session once and in order, whichever engine
 * produced it, so a session that switches engines never sees a number twice or going back.
 */
export class EventStamper {
  private seq = 0;

  constructor(private readonly send: (event: ServerEvent) => void) {}

  /** Numbers and sends a lab event; `t` is seconds on the producing engine's clock. */
  stamp(event: LabEventBody, t: number): void {
    this.send({ ...event, seq: ++this.seq, t } as LabEvent);
  }

  /** Events outside the lab's log (engine status, errors): sent as they are. */
  notice(event: ServerEvent): void {
    this.send(event);
  }

  /** An engine's log on this session's numbering, timed by that engine's clock. */
  log(clock: () => number): EngineLog {
    return new EngineLog(this, clock);
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
  ) {}

  /** `t` in seconds; the engine's clock now when not given. */
  emit(event: LabEventBody, t?: number): void {
    if (!this.closed) this.stamper.stamp(event, t ?? this.clock());
  }

  notice(event: ServerEvent): void {
    if (!this.closed) this.stamper.notice(event);
  }

  close(): void {
    this.closed = true;
  }
}
