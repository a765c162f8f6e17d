/**
 * Powers off a VM its session is not using: nothing loaded and no command for `idleMs`
 * (REAL_KERNEL_IDLE_MS, default 2 minutes), so a slot is not held by a tab left open. A VM with a
 * module loaded is in use (a server may be waiting in accept) and keeps its slot until the time
 * limit. One timer, re-armed in place; `stop` while a command runs or once the VM is gone.
 */
export const DEFAULT_REAL_KERNEL_IDLE_MS = 2 * 60_000;

export function realKernelIdleMs(env: NodeJS.ProcessEnv = process.env): number {
  const n = Number(env.REAL_KERNEL_IDLE_MS);
  return Number.isInteger(n) && n > 0 ? n : DEFAULT_REAL_KERNEL_IDLE_MS;
}

export class VmIdleWatch {
  private timer: NodeJS.Timeout | undefined;

  constructor(
    readonly idleMs: number,
    private readonly onIdle: () => void,
  ) {}

  /** After a command or a boot: the wait starts again when nothing is loaded, and stops otherwise. */
  settle(anythingLoaded: boolean): void {
    this.stop();
    if (anythingLoaded) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.onIdle();
    }, this.idleMs);
  }

  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  get armed(): boolean {
    return this.timer !== undefined;
  }
}

/** The words the owner sees when the VM was powered off for being idle. */
export function idleReason(idleMs: number): string {
  const minutes = idleMs / 60_000;
  const span =
    minutes >= 1 && Number.isInteger(minutes) ? `${minutes} min` : `${Math.round(idleMs / 1000)} s`;
  return `powered off after ${span} with nothing loaded and no command; its slot went to the next learner in the queue (the next insmod boots a fresh kernel)`;
}
