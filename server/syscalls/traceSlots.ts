/**
 * The cap on traced labs (SYSCALL_VIEW_MAX): each is a worker process and a strace. A request past
 * the cap waits in line, first come first served, and starts when a slot is released.
 */
export type TraceTicket = {
  /** Whether the slot is held now (otherwise `start` runs when it is). */
  readonly granted: boolean;
  /** Labs ahead in line (0 once granted). */
  readonly ahead: number;
  /** Gives the slot back, or leaves the line. Idempotent. */
  release(): void;
};

type Entry = { start: () => void; granted: boolean; released: boolean };

export class TraceSlots {
  private readonly held = new Set<Entry>();
  private readonly line: Entry[] = [];

  constructor(readonly max: number) {}

  get inUse(): number {
    return this.held.size;
  }

  request(start: () => void): TraceTicket {
    const entry: Entry = { start, granted: false, released: false };
    if (this.held.size < this.max) {
      entry.granted = true;
      this.held.add(entry);
    } else this.line.push(entry);
    const ahead = this.line.length - 1;
    return {
      get granted() {
        return entry.granted;
      },
      ahead: entry.granted ? 0 : ahead,
      release: () => this.release(entry),
    };
  }

  private release(entry: Entry): void {
    if (entry.released) return;
    entry.released = true;
    if (!this.held.delete(entry)) {
      const at = this.line.indexOf(entry);
      if (at >= 0) this.line.splice(at, 1);
      return;
    }
    const next = this.line.shift();
    if (!next) return;
    next.granted = true;
    this.held.add(next);
    next.start();
  }
}

export const DEFAULT_SYSCALL_VIEW_MAX = 4;
