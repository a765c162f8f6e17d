import { KERNEL_FACTS, KERNEL_SYMBOLS, type KernelFact, type KernelSymbol, type Source } from "./kernelFacts.ts";
import type { ModuleName, StepId } from "./steps.ts";

/**
 * What each step is in the three worlds the lab compares: the kernel call (and its Linux 6.x
 * signature, from KERNEL_SYMBOLS), the system call a user-space program makes, and the Node call
 * the TS module makes — with what Node does differently. The call as written in each listing is
 * not kept here: the panel reads it from the listing's own line, so it cannot drift.
 */
export type StepExplanation = {
  /** The kernel API this step stands for, a KERNEL_SYMBOLS (or KERNEL_EXTRAS) symbol. */
  readonly symbol: string;
  /** The proto_ops member a listing calls as sock->ops->…, as declared in v6.1 include/linux/net.h. */
  readonly opsMember?: string;
  /** The Node API behind the TS module's call (through server/lab/nodeSockets.ts). */
  readonly node: string;
  readonly differs: string;
  /** KERNEL_FACTS ids that back `differs`. */
  readonly factIds: readonly string[];
  readonly sources: readonly Source[];
};

const LIBUV_TCP: Source = {
  label: "libuv src/unix/tcp.c: uv_tcp_init(), uv__tcp_bind(), uv__tcp_listen(), uv__tcp_connect()",
  url: "https://github.com/libuv/libuv/blob/v1.x/src/unix/tcp.c",
};
const NODE_NET = (anchor: string, what: string): Source => ({
  label: `Node.js docs, net: ${what}`,
  url: `https://nodejs.org/api/net.html#${anchor}`,
});
const TCP_CLOSE_61: Source = {
  label: "net/ipv4/tcp.c __tcp_close(), v6.1 (read in Debian linux-source-6.1, 6.1.192)",
  url: "https://github.com/torvalds/linux/blob/v6.1/net/ipv4/tcp.c",
};
const KTHREAD_H_61: Source = {
  label: "include/linux/kthread.h, v6.1 (read in Debian linux-headers-6.1.0-56, 6.1.192)",
  url: "https://github.com/torvalds/linux/blob/v6.1/include/linux/kthread.h",
};

/** Kernel APIs a step uses that KERNEL_SYMBOLS (the socket API table) does not hold. */
export const KERNEL_EXTRAS: readonly KernelSymbol[] = [
  {
    symbol: "kthread_run",
    signature6x: "#define kthread_run(threadfn, data, namefmt, ...) /* struct task_struct * or ERR_PTR() */",
    syscall: "clone(2), as pthread_create(3) uses it",
    node: "none: JavaScript runs on one thread",
    status: { en: "current: kthread_create() followed by wake_up_process()", zh: "现行接口：kthread_create() 之后调用 wake_up_process()" },
    sources: [KTHREAD_H_61],
  },
];

const SOCK_CREATE_NOTE =
  "Creates a handle only: libuv's uv_tcp_init() opens no socket, so no file descriptor exists yet. The socket(2) call happens later, inside";

const RELEASE_CONNECTION: Pick<StepExplanation, "differs" | "sources"> = {
  differs:
    "Both close the connection: the kernel sends FIN, or RST when received bytes were never read (__tcp_close(), RFC 2525). sock_release has freed the struct socket when it returns (TCP finishes the close on its own); destroy() ends all I/O at once and Node emits 'close' later.",
  sources: [TCP_CLOSE_61, NODE_NET("socketdestroyerror", "socket.destroy()")],
};

const SERVER: Partial<Record<StepId, StepExplanation>> = {
  sock_create_kern: {
    symbol: "sock_create_kern",
    node: "net.createServer({ pauseOnConnect: true })",
    differs: `${SOCK_CREATE_NOTE} server.listen() at the bind step.`,
    factIds: [],
    sources: [LIBUV_TCP],
  },
  bind: {
    symbol: "kernel_bind",
    opsMember: "int (*bind)(struct socket *sock, struct sockaddr *myaddr, int sockaddr_len);",
    node: "server.listen({ host, port, backlog: 10, exclusive: true })",
    differs:
      "Node has no bind of its own: one server.listen() call makes socket(2), bind(2) and listen(2) (uv_tcp_bind, then uv_listen), so the lab makes it here. libuv sets SO_REUSEADDR before bind() and holds an EADDRINUSE until its listen step returns it, so a busy port still fails this step with the real EADDRINUSE. The outcome arrives as a 'listening' or 'error' event.",
    factIds: ["node-listen"],
    sources: [LIBUV_TCP],
  },
  listen: {
    symbol: "kernel_listen",
    opsMember: "int (*listen)(struct socket *sock, int len);",
    node: "server.listening (read, not called)",
    differs:
      "Nothing is called here: listen(2) already ran inside server.listen() at the bind step. This step reports that call's outcome, so the printk lines keep the C's order.",
    factIds: ["node-listen"],
    sources: [LIBUV_TCP],
  },
  accept: {
    symbol: "kernel_accept",
    opsMember: "int (*accept)(struct socket *sock, struct socket *newsock, int flags, bool kern);",
    node: "the 'connection' event, held in the lab's accept queue",
    differs:
      "libuv accepts for you: as soon as the kernel queues a connection, uv__server_io() accepts it and Node emits 'connection', with no accept call in user code. The lab holds each accepted socket in a queue and hands it over only at this step, so accept happens where the C does it. Because the server was created with pauseOnConnect, the client's bytes stay in the kernel's receive queue until recvmsg.",
    factIds: ["libuv-accepts-eagerly", "accept-queue", "pause-on-connect"],
    sources: [],
  },
  kernel_recvmsg: {
    symbol: "kernel_recvmsg",
    node: "socket.resume(), then the first 'data' event",
    differs:
      "Data arrives as events, not from a call that sleeps. pauseOnConnect kept the bytes in the kernel's receive queue until this step resumes the socket; the first 'data' chunk is the result (TCP is a byte stream, so one read may return fewer bytes than were sent) and the lab pauses the socket again.",
    factIds: ["pause-on-connect"],
    sources: [NODE_NET("event-data", "Event 'data'")],
  },
  kthread_run: {
    symbol: "kthread_run",
    node: "k.spawn(): an async function that outlives init",
    differs:
      "There is no thread to start: the lab runs the accept loop as an async function on Node's one thread, so init can return while it waits, and rmmod waits for it to finish as kthread_stop() waits for the thread.",
    factIds: ["kthread-run-stop"],
    sources: [KTHREAD_H_61],
  },
  kernel_sock_shutdown: {
    symbol: "kernel_sock_shutdown",
    node: "server.close() (a net.Server has no shutdown)",
    differs:
      "shutdown(SHUT_RDWR) takes the listener out of LISTEN so a blocked accept returns -EINVAL. Node has no shutdown for a server; the lab's pending accept is a promise it rejects with EINVAL when the server closes.",
    factIds: ["kthread-run-stop"],
    sources: [NODE_NET("serverclosecallback", "server.close()")],
  },
  sock_release_listener: {
    symbol: "sock_release",
    node: "server.close()",
    differs:
      "sock_release frees the listener at once; for TCP, __tcp_close() stops listening (inet_csk_listen_stop). server.close() stops accepting new connections but keeps existing ones; it is asynchronous, and 'close' comes only when all connections have ended.",
    factIds: [],
    sources: [TCP_CLOSE_61, NODE_NET("serverclosecallback", "server.close()")],
  },
  sock_release_conn: { symbol: "sock_release", node: "socket.destroy()", factIds: [], ...RELEASE_CONNECTION },
};


const CLIENT: Partial<Record<StepId, StepExplanation>> = {
  sock_create_kern: {
    symbol: "sock_create_kern",
    node: "new net.Socket({ allowHalfOpen: true })",
    differs: `${SOCK_CREATE_NOTE} socket.connect() at the connect step.`,
    factIds: [],
    sources: [LIBUV_TCP],
  },
  connect: {
    symbol: "kernel_connect",
    opsMember: "int (*connect)(struct socket *sock, struct sockaddr *vaddr, int sockaddr_len, int flags);",
    node: "socket.connect({ host, port })",
    differs:
      "socket(2) and connect(2) both happen here. The call returns at once (a non-blocking connect, EINPROGRESS) and the outcome arrives as a 'connect' or 'error' event; libuv reports ECONNREFUSED on the next turn of its loop.",
    factIds: ["accept-queue"],
    sources: [LIBUV_TCP, NODE_NET("socketconnect", "socket.connect()")],
  },
  kernel_sendmsg: {
    symbol: "kernel_sendmsg",
    node: "socket.write(buf, callback)",
    differs:
      "write() never blocks: whatever the kernel's send buffer cannot take yet is queued in Node's memory, and the callback runs when the data is finally written out. The lab returns 1024 from that callback, where kernel_sendmsg returns the bytes it copied into the send buffer.",
    factIds: [],
    sources: [NODE_NET("socketwritedata-encoding-callback", "socket.write()")],
  },
  sock_release: { symbol: "sock_release", node: "socket.destroy()", factIds: [], ...RELEASE_CONNECTION },
};

export const STEP_EXPLANATIONS: { readonly [M in ModuleName]: Partial<Record<StepId, StepExplanation>> } = {
  server: SERVER,
  client: CLIENT,
};

export function kernelSymbol(symbol: string): KernelSymbol | undefined {
  return KERNEL_SYMBOLS.find((s) => s.symbol === symbol) ?? KERNEL_EXTRAS.find((s) => s.symbol === symbol);
}

export function kernelFact(id: string): KernelFact | undefined {
  return KERNEL_FACTS.find((f) => f.id === id);
}

function unique(sources: readonly Source[]): Source[] {
  return sources.filter((source, index) => sources.findIndex((s) => s.url === source.url && s.label === source.label) === index);
}

/** What backs each half of an explanation: the kernel symbol's sources, and those of the Node side. */
export function explanationSources(explanation: StepExplanation): { kernel: Source[]; node: Source[] } {
  return {
    kernel: unique(kernelSymbol(explanation.symbol)?.sources ?? []),
    node: unique([...explanation.factIds.flatMap((id) => kernelFact(id)?.sources ?? []), ...explanation.sources]),
  };
}
