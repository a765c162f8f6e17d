/**
 * Stops reading a connection for a while: frames over the rate limit are dropped unread, but a
 * client that streams them still makes the app receive, unmask and check each one (64 KiB a
 * frame), which is what slows everyone else. While reading is paused the bytes stay in the
 * kernel's socket buffers and TCP's flow control holds the sender, at no cost to the app.
 */
export type Pausable = { pause(): unknown; resume(): unknown };

export class ReadThrottle {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private disposed = false;

  constructor(private readonly socket: Pausable) {}

  /** Pauses reading for `ms` (a pause already under way is left to run). */
  hold(ms: number): void {
    if (this.timer || this.disposed) return;
    this.socket.pause();
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (!this.disposed) this.socket.resume();
    }, ms);
  }

  dispose(): void {
    this.disposed = true;
    clearTimeout(this.timer);
    this.timer = undefined;
  }
}
