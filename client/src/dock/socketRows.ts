import type { LabEvent, ServerEventOf } from "../../../shared/protocol/messages.ts";
import type { TcpRow } from "../../../shared/protocol/tcpStateMessages.ts";

export type TcpStateEvent = ServerEventOf<"tcp.state">;

/** The kernel's latest view of the lab's sockets, or undefined before the lab was first active. */
export function latestTcpState(events: readonly LabEvent[]): TcpStateEvent | undefined {
  for (let i = events.length - 1; i >= 0; i--) {
    const event = events[i];
    if (event?.type === "tcp.state") return event;
  }
  return undefined;
}

export type SocketRole = "listener" | "server" | "client";

/**
 * Whose socket a row is: the listener, the server's accepted connection (local port = the lab's),
 * or the client's (its ephemeral port is local on its own row; the lab's port is its remote).
 */
export function roleOf(row: TcpRow, labPort: number): SocketRole {
  if (row.state === "LISTEN") return "listener";
  return row.local.port === labPort ? "server" : "client";
}

/** "127.0.0.1:34952", with IPv6 addresses in brackets as ss prints them. */
export function endpointText(endpoint: TcpRow["local"]): string {
  const address = endpoint.address.includes(":") ? `[${endpoint.address}]` : endpoint.address;
  return `${address}:${endpoint.port === 0 ? "*" : endpoint.port}`;
}
