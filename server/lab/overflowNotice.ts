import type { AcceptOverflow } from "./acceptQueue.ts";

/**
 * The learner's view of a full accept queue: the kernel only counts such drops (ListenOverflows in
 * `nstat`), so the lab says it in a notice instead of the kernel's log, at most once per
 * `intervalMs` (a flood must not become a flood of notices), with the resets since the last one.
 * Lazy on the clock, so it owns no timer.
 */
export class OverflowNotice {
  private last = Number.NEGATIVE_INFINITY;
  private unsaid = 0;

  constructor(
    private readonly say: (message: string) => void,
    private readonly intervalMs = 1000,
    private readonly now: () => number = () => performance.now(),
  ) {}

  refused(overflow: AcceptOverflow): void {
    this.unsaid++;
    const now = this.now();
    if (now - this.last < this.intervalMs) return;
    this.last = now;
    this.say(overflowMessage(overflow, this.unsaid));
    this.unsaid = 0;
  }
}

export function overflowMessage({ waiting, limit }: AcceptOverflow, count: number): string {
  const what =
    count === 1
      ? "A connection to the lab's listener was"
      : `${count} connections to the lab's listener were`;
  return (
    `${what} reset: its accept queue holds ${waiting} connections waiting for accept, the most listen()'s backlog allows ` +
    `(${limit - 1}, plus one). A kernel drops the SYN of such a connection; the lab resets it.`
  );
}
