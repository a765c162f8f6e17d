/** What can hold its writes and flush them as one system call: the WebSocket's net.Socket. */
export type Corkable = { cork(): void; uncork(): void };

/**
 * Holds a connection's writes until the work of the current tick is done, so the frames one
 * command produces (a kernel call's step, printk and state events, emitted a few microtasks apart)
 * leave in one writev instead of one system call per frame. The frames themselves are unchanged.
 * process.nextTick, not setImmediate: it runs once the current callback and the promise jobs it
 * queued have finished, so nothing waits for the next turn of the event loop.
 */
export class TickCork {
  private held = false;

  constructor(private readonly socket: Corkable) {}

  /** Call before each write; the first one in a tick corks, and the tick's end uncorks. */
  hold(): void {
    if (this.held) return;
    this.held = true;
    this.socket.cork();
    process.nextTick(this.release);
  }

  private readonly release = (): void => {
    this.held = false;
    this.socket.uncork();
  };
}
