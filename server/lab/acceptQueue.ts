/**
 * A lab listener's accept queue. libuv accepts every connection the moment the kernel completes
 * it, so the kernel's own queue (bounded by listen()'s backlog) is always empty and would bound
 * nothing: the twin holds the accepted sockets here, paused, until the module's accept step takes
 * one, and bounds them as the kernel bounds its queue.
 *
 * The kernel's queue is full when `sk_ack_backlog > sk_max_ack_backlog` (sk_acceptq_is_full(),
 * include/net/sock.h, v6.1), with `sk_max_ack_backlog = min(backlog, net.core.somaxconn)`
 * (__sys_listen(), net/socket.c): a listen(sock, 10) holds up to 11 connections waiting for
 * accept. Past that, tcp_conn_request() drops the SYN (LINUX_MIB_LISTENOVERFLOWS, net/ipv4/tcp_input.c)
 * and the peer's connect retries it. Node cannot drop a SYN (the handshake is done when the twin
 * sees the connection), so the twin resets the excess connection at once (RST, as Linux does with
 * net.ipv4.tcp_abort_on_overflow=1): its descriptor is freed the moment it arrives.
 *
 * Waiting connections are sockets the lab holds: they count in its socket cap (a sock_create_kern
 * finds them), so one lab holds at most its cap plus one listener's queue. A waiting connection
 * whose socket closes (the listener shut, the lab ended) leaves the queue. One whose peer closed
 * stays, as in Linux, where accept() still returns it and recvmsg reads 0: the twin does not read
 * a waiting connection (its bytes stay in the kernel's receive queue, shown in /proc/net/tcp).
 */
import type net from "node:net";

/** What the queue tells its owner when a connection is refused, so the learner can see it fill. */
export type AcceptOverflow = { waiting: number; limit: number };

type Waiter = (err: Error | null, s?: net.Socket) => void;

export class AcceptQueue {
  /** Connections the queue may hold: backlog + 1, as sk_acceptq_is_full() allows. */
  private limit = 1;
  private readonly ready: net.Socket[] = [];
  private readonly waiters: Waiter[] = [];

  /** listen(backlog): the kernel caps the backlog at net.core.somaxconn (4096 by default since v5.4). */
  setBacklog(backlog: number): void {
    this.limit = Math.max(0, Math.min(Math.trunc(backlog), 4096)) + 1;
  }

  get waiting(): number {
    return this.ready.length;
  }

  /**
   * A connection libuv accepted: handed to a blocked accept, queued, or reset when the queue is
   * full (answering how full, for the learner's notice).
   */
  arrive(s: net.Socket): AcceptOverflow | undefined {
    const waiter = this.waiters.shift();
    if (waiter) {
      waiter(null, s);
      return undefined;
    }
    if (this.ready.length >= this.limit) {
      s.resetAndDestroy();
      return { waiting: this.ready.length, limit: this.limit };
    }
    this.ready.push(s);
    s.once("close", () => {
      const at = this.ready.indexOf(s);
      if (at >= 0) this.ready.splice(at, 1);
    });
    return undefined;
  }

  /** accept(): the oldest waiting connection, or the next to arrive. */
  take(): Promise<net.Socket> {
    const ready = this.ready.shift();
    if (ready) return Promise.resolve(ready);
    return new Promise((resolve, reject) => {
      this.waiters.push((err, s) => (err || !s ? reject(err) : resolve(s)));
    });
  }

  /** The listener closed: a blocked accept fails with `err`, and every waiting connection is closed. */
  drain(err: () => Error): void {
    for (const waiter of this.waiters.splice(0)) waiter(err());
    for (const s of this.ready.splice(0)) s.destroy();
  }
}
