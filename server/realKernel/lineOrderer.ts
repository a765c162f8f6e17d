import type { GuestLine } from "./guestOutput.ts";

const HOLD_MS = 120;

/**
 * Puts the guest's lines back in the kernel's order. A record printed on the console (an oops)
 * overtakes the /dev/kmsg records printed just before it, so lines are held briefly and released
 * sorted by timestamp; a line with no timestamp goes after every record that arrived before it.
 */
export class LineOrderer {
  private held: { key: number; arrival: number; line: GuestLine }[] = [];
  /** The latest kernel time seen: a line without a stamp came after everything printed so far. */
  private lastUsec = 0;
  private arrivals = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly onLine: (line: GuestLine) => void,
    private readonly holdMs = HOLD_MS,
  ) {}

  push(line: GuestLine): void {
    if (line.kind === "kmsg") this.lastUsec = Math.max(this.lastUsec, line.usec);
    const key = line.kind === "kmsg" ? line.usec : this.lastUsec;
    this.held.push({ key, arrival: this.arrivals++, line });
    this.timer ??= setTimeout(() => this.flush(), this.holdMs);
  }

  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const lines = this.held.sort((a, b) => a.key - b.key || a.arrival - b.arrival);
    this.held = [];
    for (const { line } of lines) this.onLine(line);
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.held = [];
  }
}
