/**
 * Node's event plumbing, shaped like the kernel calls the modules mirror. Each function performs
 * the real Node `net` operation and settles when Node reports its outcome: with the kernel-style
 * return value, or by throwing Node's error (whose `code` is the real errno, e.g. ECONNREFUSED).
 * Functions that produce a socket fill an `Out`, as the C calls fill a `struct socket **`.
 */
import { once } from "node:events";
import net from "node:net";
import { type AcceptOverflow, AcceptQueue } from "./acceptQueue.ts";
import { checkLabAddress } from "./labAddress.ts";
import { checkSocketLimit } from "./socketLimit.ts";

export type Out<T> = { current?: T };
export function out<T>(): Out<T> {
  return {};
}

export function deref<T>(ref: Out<T>, what: string): T {
  if (ref.current === undefined) throw new Error(`${what} is NULL`);
  return ref.current;
}

/**
 * Whoever creates a socket registers it here, so the session can close whatever a module leaks;
 * the owner's loopback address and port are the only ones its sockets may bind or dial.
 */
export type SocketOwner = {
  adopt(resource: net.Server | net.Socket): void;
  readonly loopback: string;
  readonly port: number;
  /** Sockets the owner holds open now, and the most it may (sock_create_kern fails with -ENFILE past it). */
  readonly openSockets?: number;
  readonly socketLimit?: number;
  /** A connection to one of its listeners was reset: the accept queue, or the socket cap, was full. */
  acceptOverflow?(overflow: AcceptOverflow): void;
};

export type SockAddr = { host: string; port: number };

/** Each lab socket's one permitted address, fixed when the socket is created. */
const ownAddress = new WeakMap<net.Server | net.Socket, SockAddr>();

const acceptQueues = new WeakMap<net.Server, AcceptQueue>();

export function createListener(owner: SocketOwner, sock: Out<net.Server>): number {
  checkSocketLimit(owner.openSockets ?? 0, owner.socketLimit ?? Number.POSITIVE_INFINITY);
  // pauseOnConnect: the peer's bytes wait in the kernel's receive queue until recvmsg reads them.
  const server = net.createServer({ pauseOnConnect: true });
  const queue = new AcceptQueue();
  acceptQueues.set(server, queue);
  server.on("connection", (s) => {
    // Deliberately empty: a module meets a socket's error as its own call's result (recvmsg's
    // listener, or the errno of its next call); one that arrives between calls (a reset) must not
    // reach Node's default of throwing and take the whole server down.
    s.on("error", () => {});
    // Waiting or accepted, the connection is a socket the lab holds: its cap counts it.
    const overflow = queue.arrive(s);
    if (overflow) owner.acceptOverflow?.(overflow);
    else owner.adopt(s);
  });
  // net.Server emits 'close' only once its connections have ended, so the queue is drained where
  // the listener is closed (release, shutdownListener) and here for any other way.
  server.on("close", () => queue.drain(() => errnoError("EINVAL", "accept")));
  // Deliberately empty: listen's own error reaches its caller through events.once; any later one
  // must not reach Node's default of throwing.
  server.on("error", () => {});
  ownAddress.set(server, { host: owner.loopback, port: owner.port });
  owner.adopt(server);
  sock.current = server;
  return 0;
}

export function createStream(owner: SocketOwner, sock: Out<net.Socket>): number {
  checkSocketLimit(owner.openSockets ?? 0, owner.socketLimit ?? Number.POSITIVE_INFINITY);
  // allowHalfOpen: when the peer closes, Node must not close our side for us; the kernel would not.
  const socket = new net.Socket({ allowHalfOpen: true });
  // Deliberately empty: connect, recvmsg and sendmsg report their own errors to the module; one
  // between calls (a reset) must not reach Node's default of throwing.
  socket.on("error", () => {});
  ownAddress.set(socket, { host: owner.loopback, port: owner.port });
  owner.adopt(socket);
  sock.current = socket;
  return 0;
}

/**
 * kernel_sock_shutdown on a listener: inet_shutdown() disconnects a LISTEN socket, which drops the
 * connections waiting in its accept queue, and a blocked accept returns -EINVAL (v6.1,
 * net/ipv4/af_inet.c, inet_connection_sock.c). Node cannot stop listening without closing the fd,
 * so this closes it; the sock_release that follows finds it closed already.
 */
export function shutdownListener(server: net.Server): number {
  if (!server.listening) throw errnoError("ENOTCONN", "shutdown");
  closeListener(server);
  return 0;
}

/** socket() + bind() + listen() in one libuv call: Node has no bind of its own for TCP. */
export async function listen(server: net.Server, addr: SockAddr, backlog: number): Promise<number> {
  checkLabAddress("bind", addr, ownAddress.get(server));
  // once() rejects with the 'error' that comes instead (EADDRINUSE) and removes both listeners.
  const listening = once(server, "listening");
  acceptQueues.get(server)?.setBacklog(backlog);
  server.listen({ host: addr.host, port: addr.port, backlog, exclusive: true });
  await listening;
  return 0;
}

export async function accept(server: net.Server, newsock: Out<net.Socket>): Promise<number> {
  const queue = acceptQueues.get(server);
  if (!queue || !server.listening) throw errnoError("EINVAL", "accept");
  newsock.current = await queue.take();
  return 0;
}

/**
 * One recvmsg: whatever the first read returns, at most `len` bytes (TCP is a byte stream).
 * `timeoutMs` is sk_rcvtimeo: with nothing read by then the call fails with EAGAIN, as socket(7) says.
 */
export function recvmsg(
  socket: net.Socket,
  buf: Uint8Array,
  len: number,
  timeoutMs?: number,
): Promise<number> {
  return new Promise((resolve, reject) => {
    const timer =
      timeoutMs === undefined
        ? undefined
        : setTimeout(() => onError(errnoError("EAGAIN", "recvmsg")), timeoutMs);
    const done = () => {
      clearTimeout(timer);
      socket.off("data", onData);
      socket.off("end", onEnd);
      socket.off("error", onError);
      socket.off("close", onEnd);
      socket.pause();
    };
    const onData = (chunk: Buffer) => {
      done();
      const n = Math.min(len, chunk.length, buf.length);
      buf.set(chunk.subarray(0, n));
      if (chunk.length > n) socket.unshift(chunk.subarray(n));
      resolve(n);
    };
    const onEnd = () => {
      done();
      resolve(0);
    };
    const onError = (err: Error) => {
      done();
      reject(err);
    };
    socket.on("data", onData);
    socket.once("end", onEnd);
    socket.once("close", onEnd);
    socket.once("error", onError);
    socket.resume();
  });
}

export async function connect(socket: net.Socket, addr: SockAddr): Promise<number> {
  checkLabAddress("connect", addr, ownAddress.get(socket));
  // once() rejects with the 'error' that comes instead (ECONNREFUSED) and removes both listeners.
  const connected = once(socket, "connect");
  socket.connect({ host: addr.host, port: addr.port });
  await connected;
  return 0;
}

/** Resolves with the bytes handed to the kernel once Node has written them to the socket. */
export function sendmsg(socket: net.Socket, buf: Uint8Array, len: number): Promise<number> {
  return new Promise((resolve, reject) => {
    socket.write(buf.subarray(0, len), (err) => (err ? reject(err) : resolve(len)));
  });
}

/**
 * Closes the socket: the kernel sends FIN (or RST if unread bytes remain), as sock_release does.
 * sock_release returns void; the 0 only satisfies the gate, which records the step's result as null.
 */
export function release(resource: net.Socket | net.Server | undefined): number {
  if (resource instanceof net.Server) closeListener(resource);
  else resource?.destroy();
  return 0;
}

/** Stops listening and closes the connections waiting in its accept queue, as the kernel's close does. */
export function closeListener(server: net.Server): void {
  server.close();
  acceptQueues.get(server)?.drain(() => errnoError("EINVAL", "accept"));
}

export function errnoError(code: string, syscall: string): NodeJS.ErrnoException {
  const err: NodeJS.ErrnoException = new Error(`${syscall} ${code}`);
  err.code = code;
  err.syscall = syscall;
  return err;
}
