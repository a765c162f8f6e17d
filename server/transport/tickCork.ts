/** What can hold its writes and flush them as one system call: the WebSocket's net.Socket. */
export type Corkable = { cork(): void; uncork(): void };

/**
 * Holds a connection's writes until the work of the current tick is done, so the frames one
 * command produces (a kernel call's step, printk and state events, emitted a few promise jobs
 * apart) leave in one writev instead of one system call per frame. The frames are unchanged.
 * The uncork is a nextTick queued from a microtask: Node runs it once the microtask queue has
 * drained, after every promise job of this tick and before any I/O, so no frame waits for the
 * next turn of the event loop (setImmediate would make it wait).
 */
export class TickCork {
  private held = false;

  constructor(private readonly socket: Corkable) {}

  /** Call before each write; the first one in a tick corks, and the tick's end uncorks. */
  hold(): void {
    if (this.held) return;
    this.held = true;
    this.socket.cork();
    queueMicrotask(() => process.nextTick(this.release));
  }

  private readonly release = (): void => {
    this.held = false;
    this.socket.uncork();
  };
}
