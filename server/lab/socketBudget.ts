/**
 * The process's descriptors shared out to the labs' sockets. Every lab socket is a descriptor of
 * this one process (the listener, the connections waiting for accept, accepted ones, the published
 * client's deliberately leaked socket), and so is every browser's connection: past RLIMIT_NOFILE
 * anything in the app fails with EMFILE, /healthz included. So the labs together hold at most
 * `total` sockets (what the limit leaves after the connections' cap and a reserve), each lab at
 * most its fair share of it, and a lab is refused when it could not get `MIN_LAB_SHARE`: refusals
 * with a reason, before the limit, instead of EMFILE.
 */
export class LabSocketBudget {
  private used = 0;
  private labs = 0;

  /** `total`: the lab sockets the process can spare (unbounded until the app sets it). */
  constructor(public total = Number.POSITIVE_INFINITY) {}

  labOpened(): void {
    this.labs++;
  }

  labClosed(): void {
    this.labs = Math.max(0, this.labs - 1);
  }

  take(): void {
    this.used++;
  }

  give(): void {
    this.used = Math.max(0, this.used - 1);
  }

  /** Whether one more lab would still get its minimum share. */
  roomForLab(): boolean {
    return (this.labs + 1) * MIN_LAB_SHARE <= this.total;
  }

  /**
   * The cap of a lab holding `open` sockets whose own limit is `limit`: no more than its fair share
   * of the total, nor than what the other labs leave free.
   */
  capFor(open: number, limit: number): number {
    if (!Number.isFinite(this.total)) return limit;
    const share = Math.max(MIN_LAB_SHARE, Math.floor(this.total / Math.max(1, this.labs)));
    return Math.min(limit, share, open + Math.max(0, this.total - this.used));
  }

  get sockets(): number {
    return this.used;
  }
}

/** A lesson takes three sockets (listener, accepted, client); six leave room for a leak or two. */
export const MIN_LAB_SHARE = 6;

/** Descriptors kept for everything else: files served, /proc reads, child processes, the log. */
export const FD_RESERVE = 256;

/** The lab sockets a process with `fdLimit` descriptors and `connections` connections can spare. */
export function labSocketTotal(fdLimit: number | undefined, connections: number): number {
  if (fdLimit === undefined) return Number.POSITIVE_INFINITY;
  return Math.max(MIN_LAB_SHARE, fdLimit - connections - FD_RESERVE);
}

/** One per process, as the descriptor limit is. */
export const labSocketBudget = new LabSocketBudget();
