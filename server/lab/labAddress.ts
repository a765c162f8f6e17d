/**
 * The one address a lab's sockets may bind or dial: 127.0.0.1 and the lab's own port. Checked in
 * nodeSockets.ts just before Node binds or connects, so no module, listing variant or message from
 * the browser can make the server listen on, or connect to, anything else.
 */
import type { SockAddr } from "./nodeSockets.ts";

/** The only host a lab socket binds or dials (IPv4 loopback): the lab never leaves this machine. */
export const LAB_LOOPBACK = "127.0.0.1";

/**
 * A refused bind or connect, with the errno a Linux sandbox gives for the same denial: Landlock's
 * socket_bind and socket_connect hooks return -EACCES for a port the ruleset does not allow
 * (security/landlock/net.c, current_check_access_socket, Linux 6.7+).
 */
export class LabAddressRefused extends Error {
  readonly code = "EACCES";
  constructor(
    readonly syscall: "bind" | "connect",
    readonly requested: SockAddr,
    readonly allowed: SockAddr,
  ) {
    super(
      `the lab refused to ${syscall} ${formatAddress(requested)}: lab sockets use ${formatAddress(allowed)} only ` +
        "(loopback and this session's own port)",
    );
  }
}

export function checkLabAddress(
  syscall: "bind" | "connect",
  requested: SockAddr,
  allowed: SockAddr | undefined,
): void {
  // A socket the lab did not create through nodeSockets has no allowed address: refuse it too.
  const own = allowed ?? { host: LAB_LOOPBACK, port: -1 };
  if (
    own.host !== LAB_LOOPBACK ||
    requested.host !== own.host ||
    requested.port !== own.port ||
    own.port <= 0
  ) {
    throw new LabAddressRefused(syscall, requested, own);
  }
}

function formatAddress(addr: SockAddr): string {
  return addr.host.includes(":") ? `[${addr.host}]:${addr.port}` : `${addr.host}:${addr.port}`;
}
