import { availableParallelism } from "node:os";

/**
 * Bounds how many VMs run at once (each is a QEMU doing software emulation: about one core while
 * it boots). A session that asks beyond the bound waits in a FIFO queue and is told its position.
 */
export type Lease = { release: () => void };
export type Ticket = { granted: Promise<Lease>; cancel: () => void };

type Waiter = { grant: (lease: Lease) => void; onPosition: (position: number) => void };

export class VmPool {
  private running = 0;
  private readonly queue: Waiter[] = [];

  constructor(readonly max = positiveInt(process.env.REAL_KERNEL_MAX_VMS, defaultMaxVms())) {}

  get active(): number {
    return this.running;
  }

  get waiting(): number {
    return this.queue.length;
  }

  /** A slot now, or a place in the queue (position 1 is next), reported again as it moves up. */
  acquire(onPosition: (position: number) => void): Ticket {
    let grant!: (lease: Lease) => void;
    const granted = new Promise<Lease>((resolve) => {
      grant = resolve;
    });
    if (this.running < this.max) {
      this.running++;
      grant(this.lease());
      return { granted, cancel: () => {} };
    }
    const waiter: Waiter = { grant, onPosition };
    this.queue.push(waiter);
    onPosition(this.queue.length);
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

  private lease(): Lease {
    let released = false;
    return {
      release: () => {
        if (released) return;
        released = true;
        this.running--;
        const next = this.queue.shift();
        if (!next) return;
        this.running++;
        next.grant(this.lease());
        this.announce(0);
      },
    };
  }

  private announce(from: number): void {
    this.queue.slice(from).forEach((waiter, i) => {
      waiter.onPosition(from + i + 1);
    });
  }
}

/**
 * VMs per core when REAL_KERNEL_MAX_VMS is not set. Measured (docs/real-kernel.md, "What a VM
 * costs"; bench P6): a booted VM that waits costs 0.3 % of a core and about 220 MiB; a boot takes
 * about 2.5 core-seconds and a run of the lesson well under one. So the bound is what the cores can
 * boot and run at once while the Node-lab learners beside keep their latency, not memory.
 */
export const VMS_PER_CORE = 3;

export function defaultMaxVms(cores = availableParallelism()): number {
  return Math.max(1, VMS_PER_CORE * cores);
}

function positiveInt(text: string | undefined, fallback: number): number {
  const n = Number(text);
  return Number.isInteger(n) && n > 0 ? n : fallback;
}

/** The process-wide pool every session's real-kernel engine shares. */
export const sharedVmPool = new VmPool();
