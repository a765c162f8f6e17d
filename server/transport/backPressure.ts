/**
 * A WebSocket's send queue is memory this process holds for a client. A page that stops reading
 * (a frozen tab, a hostile script) while its lab keeps producing would grow it without bound, so
 * each session's queue is watched after every send: past the limit, the session stops producing
 * (its lab is disposed) and the client is told why and closed with 1008. The close frame waits
 * behind the queue; the server's close timeout cuts the connection if the client never reads it.
 */
import type { WebSocket } from "ws";

/** 1 MiB: about a hundred lessons' events a page has not read yet; a page that reads never nears it. */
export const DEFAULT_SEND_BUFFER_LIMIT = 1024 * 1024;

/** 1008, policy violation: the client broke the rule "read what you asked for". */
export const NOT_READING_CLOSE = { code: 1008, reason: "not reading" } as const;

export function notReadingMessage(limit: number): string {
  return `This lab was closed: this page stopped reading its connection while over ${formatBytes(limit)} of the lab's events waited for it. Reload the page to start a new lab.`;
}

/** Fires `onOver` once, the first time the socket's unsent bytes exceed `limit` after a send. */
export class SendBufferWatch {
  private tripped = false;

  constructor(
    private readonly ws: Pick<WebSocket, "bufferedAmount">,
    private readonly limit: number,
    private readonly onOver: () => void,
  ) {}

  /** Call after each send; answers whether the queue is still within the limit. */
  check(): boolean {
    if (this.tripped) return false;
    if (this.ws.bufferedAmount <= this.limit) return true;
    this.tripped = true;
    this.onOver();
    return false;
  }

  get over(): boolean {
    return this.tripped;
  }
}

function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) === 0) return `${bytes / (1024 * 1024)} MiB`;
  if (bytes >= 1024 && bytes % 1024 === 0) return `${bytes / 1024} KiB`;
  return `${bytes} bytes`;
}
