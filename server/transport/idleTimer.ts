/**
 * Fires `onIdle` once when no command has arrived for `timeoutMs`; `touch` starts the wait again.
 * One timer per session, re-armed in place (no new timer per command) and cleared by `dispose`.
 */
export class IdleTimer {
  private readonly timer: NodeJS.Timeout;

  constructor(timeoutMs: number, onIdle: () => void) {
    this.timer = setTimeout(onIdle, timeoutMs);
  }

  touch(): void {
    this.timer.refresh();
  }

  dispose(): void {
    clearTimeout(this.timer);
  }
}
