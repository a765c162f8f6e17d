/**
 * A cap on the sockets one lab's modules may hold open at once. The published client never
 * releases its socket, so a learner who runs the lesson again and again leaks one per run (and
 * the lab keeps it until the session ends, as documented); a real kernel stops such a leak too,
 * when sock_alloc() finds no inode: __sock_create() warns "socket: no more sockets" and returns
 * -ENFILE (net/socket.c, v6.1). Past the cap the next sock_create_kern fails the same way.
 */
export const DEFAULT_LAB_SOCKET_LIMIT = 64;

/** The kernel's rate-limited warning when sock_alloc fails (net/socket.c, __sock_create). */
export const NO_MORE_SOCKETS_PRINTK = "socket: no more sockets\n";

export class LabSocketLimit extends Error {
  readonly code = "ENFILE";
  constructor(readonly limit: number) {
    super(
      `This lab holds ${limit} open sockets, the most one lab may: the modules you loaded left them open ` +
        "(the published client never releases its socket), so sock_create_kern fails with -ENFILE, as a kernel " +
        "out of sockets does. Reset the lab, or reload the page, to release them.",
    );
  }
}

/** Throws LabSocketLimit when `open` sockets already fill the cap. */
export function checkSocketLimit(open: number, limit: number): void {
  if (open >= limit) throw new LabSocketLimit(limit);
}
