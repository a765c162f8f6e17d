import type { WebSocket, WebSocketServer } from "ws";

/**
 * ws's ping/pong idiom: every interval each client that has not answered the previous ping is
 * terminated (a laptop closed mid-lesson leaves no close frame), the others are pinged again.
 * Browsers answer pings by themselves. One interval for all clients, cleared by `dispose`.
 */
export class Heartbeat {
  private readonly alive = new WeakSet<WebSocket>();
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly wss: WebSocketServer,
    intervalMs: number,
  ) {
    this.timer = setInterval(() => this.beat(), intervalMs);
  }

  /** Starts watching a client: call it once the upgrade has completed. */
  watch(ws: WebSocket): void {
    this.alive.add(ws);
    ws.on("pong", () => this.alive.add(ws));
  }

  dispose(): void {
    clearInterval(this.timer);
  }

  private beat(): void {
    for (const ws of this.wss.clients) {
      if (!this.alive.has(ws)) {
        ws.terminate();
        continue;
      }
      this.alive.delete(ws);
      ws.ping();
    }
  }
}
