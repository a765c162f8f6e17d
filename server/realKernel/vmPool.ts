import { availableParallelism } from "node:os";

/**
 * Bounds how many VMs run at once (each is a QEMU doing software emulation: about one core while
 * it boots). A session that asks beyond the bound waits in a FIFO queue and is told its position
 * and an estimate of the wait. One remote address may hold at most `perOwner` VMs, running or
 * queued (default 1): a client asking for more is refused with the reason, so one classmate
 * cannot hold every slot and the head of the queue.
 */
export type Lease = { release: () => void };
export type Ticket = { granted: Promise<Lease>; cancel: () => void };
/** Position 1 is next; the estimate (ms) is there once a lease has ended and given a duration. */
export type OnPosition = (position: number, estimateMs?: number) => void;

type Waiter = { grant: (lease: Lease) => void; onPosition: OnPosition; owner: string | undefined };

/** A refused request: the owner already holds its share. */
export class VmQuotaExceeded extends Error {}

/** Leases whose duration the estimate averages: recent enough to follow the classroom's pace. */
const RECENT_LEASES = 10;

export class VmPool {
  private running = 0;
  private readonly queue: Waiter[] = [];
  private readonly held = new Map<string, number>();
  private readonly durations: number[] = [];

  constructor(
    readonly max = positiveInt(process.env.REAL_KERNEL_MAX_VMS, defaultMaxVms()),
    readonly perOwner = positiveInt(process.env.REAL_KERNEL_VMS_PER_ADDRESS, 1),
    private readonly now: () => number = () => Date.now(),
  ) {}

  get active(): number {
    return this.running;
  }

  get waiting(): number {
    return this.queue.length;
  }

  /**
   * A slot now, or a place in the queue (position 1 is next), reported again as it moves up.
   * `owner` is the client's remote address. An owner whose share is taken by running VMs waits
   * (a reloaded tab's new session, while the old one's VM is still being powered off) but is
   * passed over by the queue until one of its VMs ends, so it delays no one; an owner that already
   * waits too is refused (`granted` rejects with VmQuotaExceeded, saying why). Without an owner
   * (a caller that is no client's) nothing is counted.
   */
  acquire(onPosition: OnPosition, owner?: string): Ticket {
    let grant!: (lease: Lease) => void;
    let refuse!: (err: Error) => void;
    const granted = new Promise<Lease>((resolve, reject) => {
      grant = resolve;
      refuse = reject;
    });
    if (owner !== undefined && this.queue.some((w) => w.owner === owner)) {
      refuse(
        new VmQuotaExceeded(
          `this browser (or, for a client without cookies, your address) already has a real-kernel VM running or waiting, as many as one learner may (REAL_KERNEL_VMS_PER_ADDRESS=${this.perOwner}); switch the other tab back to Node lab, then try again`,
        ),
      );
      return { granted, cancel: () => {} };
    }
    const waiter: Waiter = { grant, onPosition, owner };
    if (this.running < this.max && this.eligible(waiter)) {
      this.start(waiter);
      return { granted, cancel: () => {} };
    }
    this.queue.push(waiter);
    onPosition(this.queue.length, this.estimate(this.queue.length));
    return {
      granted,
      cancel: () => {
        const index = this.queue.indexOf(waiter);
        if (index === -1) return;
        this.queue.splice(index, 1);
        this.announce(index);
      },
    };
  }

  /**
   * How long position `position` may wait: the mean of recent leases for each round of `max`
   * slots ahead of it. Undefined before any lease has ended (nothing to go by).
   */
  estimate(position: number): number | undefined {
    if (this.durations.length === 0) return undefined;
    const mean = this.durations.reduce((a, b) => a + b, 0) / this.durations.length;
    return Math.round(Math.ceil(position / this.max) * mean);
  }

  /** An owner below its share of running VMs (or no owner) may be granted a slot. */
  private eligible(waiter: Waiter): boolean {
    return waiter.owner === undefined || (this.held.get(waiter.owner) ?? 0) < this.perOwner;
  }

  private start(waiter: Waiter): void {
    this.running++;
    if (waiter.owner !== undefined) this.held.set(waiter.owner, (this.held.get(waiter.owner) ?? 0) + 1);
    waiter.grant(this.lease(waiter.owner));
  }

  private lease(owner: string | undefined): Lease {
    let released = false;
    const started = this.now();
    return {
      release: () => {
        if (released) return;
        released = true;
        this.durations.push(this.now() - started);
        if (this.durations.length > RECENT_LEASES) this.durations.shift();
        this.running--;
        if (owner !== undefined) {
          const count = (this.held.get(owner) ?? 0) - 1;
          if (count <= 0) this.held.delete(owner);
          else this.held.set(owner, count);
        }
        const index = this.queue.findIndex((w) => this.eligible(w));
        if (index === -1 || this.running >= this.max) return;
        const [next] = this.queue.splice(index, 1);
        if (next) this.start(next);
        this.announce(index);
      },
    };
  }

  private announce(from: number): void {
    this.queue.slice(from).forEach((waiter, i) => {
      waiter.onPosition(from + i + 1, this.estimate(from + i + 1));
    });
  }
}

/**
 * VMs per core when REAL_KERNEL_MAX_VMS is not set. Measured (docs/real-kernel.md, "What a VM
 * costs"; bench P6): a booted VM that waits costs 0.3 % of a core and about 220 MiB; a boot takes
 * about 2.5 core-seconds and a run of the lesson well under one. So the bound is what the cores can
 * boot and run at once while the Node-lab learners beside keep their latency, not memory. Two per
 * core is what P6 measured holding (4 VMs on 2 cores running flat out: first printk p95 199 ms);
 * a run at 6 on 2 cores left one learner without an answer for 300 s.
 */
export const VMS_PER_CORE = 2;

export function defaultMaxVms(cores = availableParallelism()): number {
  return Math.max(1, VMS_PER_CORE * cores);
}

function positiveInt(text: string | undefined, fallback: number): number {
  const n = Number(text);
  return Number.isInteger(n) && n > 0 ? n : fallback;
}

/** The process-wide pool every session's real-kernel engine shares. */
export const sharedVmPool = new VmPool();
