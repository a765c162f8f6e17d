import type { Bilingual, Source } from "./bilingual.ts";
import { KERNEL_FACTS, type KernelFact } from "./kernelFacts.ts";
import { KERNEL_SYMBOLS, type KernelSymbol } from "./kernelSymbols.ts";
import type { ModuleName, StepId } from "../protocol/steps.ts";

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
  readonly node: Bilingual;
  readonly differs: Bilingual;
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
    status: {
      en: "current: kthread_create() followed by wake_up_process()",
      zh: "现行接口：kthread_create() 之后调用 wake_up_process()",
    },
    sources: [KTHREAD_H_61],
  },
];

const SOCK_CREATE: Bilingual = {
  en: "Creates a handle only: libuv's uv_tcp_init() opens no socket, so no file descriptor exists yet. The socket(2) call happens later, inside",
  zh: "只创建一个句柄：libuv 的 uv_tcp_init() 不打开 socket，因此此时还没有文件描述符。socket(2) 调用稍后才发生，位于",
};

const RELEASE_CONNECTION: Pick<StepExplanation, "node" | "differs" | "factIds" | "sources"> = {
  node: { en: "socket.destroy()", zh: "socket.destroy()" },
  differs: {
    en: "Both close the connection: the kernel sends FIN, or RST when received bytes were never read (__tcp_close(), RFC 2525). sock_release has freed the struct socket when it returns (TCP finishes the close on its own); destroy() ends all I/O at once and Node emits 'close' later.",
    zh: "两者都关闭连接：内核发送 FIN；若有已收到但从未读取的字节，则发送 RST（__tcp_close()，RFC 2525）。sock_release 返回时 struct socket 已被释放（TCP 自行完成关闭过程）；destroy() 立即结束所有 I/O，Node 稍后触发 'close'。",
  },
  factIds: [],
  sources: [TCP_CLOSE_61, NODE_NET("socketdestroyerror", "socket.destroy()")],
};

const SERVER: Partial<Record<StepId, StepExplanation>> = {
  sock_create_kern: {
    symbol: "sock_create_kern",
    node: {
      en: "net.createServer({ pauseOnConnect: true })",
      zh: "net.createServer({ pauseOnConnect: true })",
    },
    differs: {
      en: `${SOCK_CREATE.en} server.listen() at the bind step.`,
      zh: `${SOCK_CREATE.zh} bind 步骤的 server.listen() 内部。`,
    },
    factIds: [],
    sources: [LIBUV_TCP],
  },
  bind: {
    symbol: "kernel_bind",
    opsMember: "int (*bind)(struct socket *sock, struct sockaddr *myaddr, int sockaddr_len);",
    node: {
      en: "server.listen({ host, port, backlog: 10, exclusive: true })",
      zh: "server.listen({ host, port, backlog: 10, exclusive: true })",
    },
    differs: {
      en: "Node has no bind of its own: one server.listen() call makes socket(2), bind(2) and listen(2) (uv_tcp_bind, then uv_listen), so the lab makes it here. libuv sets SO_REUSEADDR before bind() and holds an EADDRINUSE until its listen step returns it, so a busy port still fails this step with the real EADDRINUSE. The outcome arrives as a 'listening' or 'error' event.",
      zh: "Node 没有单独的 bind：一次 server.listen() 调用就完成 socket(2)、bind(2) 和 listen(2)（先 uv_tcp_bind，再 uv_listen），所以实验在这一步调用它。libuv 在 bind() 之前设置 SO_REUSEADDR，并把 EADDRINUSE 暂存到它的 listen 步骤才返回，因此端口被占用时这一步仍以真实的 EADDRINUSE 失败。结果以 'listening' 或 'error' 事件到达。",
    },
    factIds: ["node-listen"],
    sources: [LIBUV_TCP],
  },
  listen: {
    symbol: "kernel_listen",
    opsMember: "int (*listen)(struct socket *sock, int len);",
    node: { en: "server.listening (read, not called)", zh: "server.listening（只读取，不调用）" },
    differs: {
      en: "Nothing is called here: listen(2) already ran inside server.listen() at the bind step. This step reports that call's outcome, so the printk lines keep the C's order.",
      zh: "这里什么也不调用：listen(2) 已在 bind 步骤的 server.listen() 中执行。这一步报告该调用的结果，使 printk 的顺序与 C 一致。",
    },
    factIds: ["node-listen"],
    sources: [LIBUV_TCP],
  },
  accept: {
    symbol: "kernel_accept",
    opsMember: "int (*accept)(struct socket *sock, struct socket *newsock, int flags, bool kern);",
    node: {
      en: "the 'connection' event, held in the lab's accept queue",
      zh: "'connection' 事件，连接先留在实验的 accept 队列中",
    },
    differs: {
      en: "libuv accepts for you: as soon as the kernel queues a connection, uv__server_io() accepts it and Node emits 'connection', with no accept call in user code. The lab holds each accepted socket in a queue and hands it over only at this step, so accept happens where the C does it. Because the server was created with pauseOnConnect, the client's bytes stay in the kernel's receive queue until recvmsg.",
      zh: "libuv 替你 accept：内核一把连接放入队列，uv__server_io() 就接受它，Node 随即触发 'connection'，用户代码中没有任何 accept 调用。实验把每个已接受的 socket 留在队列里，直到这一步才交出，因此 accept 发生在 C 调用它的位置。由于服务器以 pauseOnConnect 创建，客户端发来的字节一直留在内核的接收队列中，直到 recvmsg。",
    },
    factIds: ["libuv-accepts-eagerly", "accept-queue", "pause-on-connect"],
    sources: [],
  },
  kernel_recvmsg: {
    symbol: "kernel_recvmsg",
    node: {
      en: "socket.resume(), then the first 'data' event",
      zh: "socket.resume()，然后是第一个 'data' 事件",
    },
    differs: {
      en: "Data arrives as events, not from a call that sleeps. pauseOnConnect kept the bytes in the kernel's receive queue until this step resumes the socket; the first 'data' chunk is the result (TCP is a byte stream, so one read may return fewer bytes than were sent) and the lab pauses the socket again.",
      zh: "数据以事件的形式到达，而不是来自一个会睡眠的调用。pauseOnConnect 让字节留在内核的接收队列中，直到这一步恢复（resume）该 socket；第一个 'data' 数据块就是结果（TCP 是字节流，一次读取可能少于发送的字节数），随后实验再次暂停该 socket。",
    },
    factIds: ["pause-on-connect"],
    sources: [NODE_NET("event-data", "Event 'data'")],
  },
  kthread_run: {
    symbol: "kthread_run",
    node: {
      en: "k.spawn(): an async function that outlives init",
      zh: "k.spawn()：一个在 init 返回后继续运行的 async 函数",
    },
    differs: {
      en: "There is no thread to start: the lab runs the accept loop as an async function on Node's one thread, so init can return while it waits, and rmmod waits for it to finish as kthread_stop() waits for the thread.",
      zh: "没有线程可启动：实验把 accept 循环作为 async 函数运行在 Node 唯一的线程上，因此 init 可以在它等待时返回；rmmod 会等它结束，就像 kthread_stop() 等待线程一样。",
    },
    factIds: ["kthread-run-stop"],
    sources: [KTHREAD_H_61],
  },
  kernel_sock_shutdown: {
    symbol: "kernel_sock_shutdown",
    node: {
      en: "server.close() (a net.Server has no shutdown)",
      zh: "server.close()（net.Server 没有 shutdown）",
    },
    differs: {
      en: "shutdown(SHUT_RDWR) takes the listener out of LISTEN so a blocked accept returns -EINVAL. Node has no shutdown for a server; the lab's pending accept is a promise it rejects with EINVAL when the server closes.",
      zh: "shutdown(SHUT_RDWR) 让监听 socket 退出 LISTEN 状态，使阻塞中的 accept 返回 -EINVAL。Node 的服务器没有 shutdown；实验中挂起的 accept 是一个 promise，服务器关闭时实验以 EINVAL 拒绝（reject）它。",
    },
    factIds: ["kthread-run-stop"],
    sources: [NODE_NET("serverclosecallback", "server.close()")],
  },
  sock_release_listener: {
    symbol: "sock_release",
    node: { en: "server.close()", zh: "server.close()" },
    differs: {
      en: "sock_release frees the listener at once; for TCP, __tcp_close() stops listening (inet_csk_listen_stop). server.close() stops accepting new connections but keeps existing ones; it is asynchronous, and 'close' comes only when all connections have ended.",
      zh: "sock_release 立即释放监听 socket；对 TCP 而言，__tcp_close() 会停止监听（inet_csk_listen_stop）。server.close() 停止接受新连接但保留已有连接；它是异步的，所有连接结束后才触发 'close'。",
    },
    factIds: [],
    sources: [TCP_CLOSE_61, NODE_NET("serverclosecallback", "server.close()")],
  },
  sock_release_conn: { symbol: "sock_release", ...RELEASE_CONNECTION },
};

const CLIENT: Partial<Record<StepId, StepExplanation>> = {
  sock_create_kern: {
    symbol: "sock_create_kern",
    node: { en: "new net.Socket({ allowHalfOpen: true })", zh: "new net.Socket({ allowHalfOpen: true })" },
    differs: {
      en: `${SOCK_CREATE.en} socket.connect() at the connect step.`,
      zh: `${SOCK_CREATE.zh} connect 步骤的 socket.connect() 内部。`,
    },
    factIds: [],
    sources: [LIBUV_TCP],
  },
  connect: {
    symbol: "kernel_connect",
    opsMember: "int (*connect)(struct socket *sock, struct sockaddr *vaddr, int sockaddr_len, int flags);",
    node: { en: "socket.connect({ host, port })", zh: "socket.connect({ host, port })" },
    differs: {
      en: "socket(2) and connect(2) both happen here. The call returns at once (a non-blocking connect, EINPROGRESS) and the outcome arrives as a 'connect' or 'error' event; libuv reports ECONNREFUSED on the next turn of its loop.",
      zh: "socket(2) 和 connect(2) 都在这里发生。调用立即返回（非阻塞 connect，EINPROGRESS），结果以 'connect' 或 'error' 事件到达；libuv 在其事件循环的下一轮报告 ECONNREFUSED。",
    },
    factIds: ["accept-queue"],
    sources: [LIBUV_TCP, NODE_NET("socketconnect", "socket.connect()")],
  },
  kernel_sendmsg: {
    symbol: "kernel_sendmsg",
    node: { en: "socket.write(buf, callback)", zh: "socket.write(buf, callback)" },
    differs: {
      en: "write() never blocks: whatever the kernel's send buffer cannot take yet is queued in Node's memory, and the callback runs when the data is finally written out. The lab returns 1024 from that callback, where kernel_sendmsg returns the bytes it copied into the send buffer.",
      zh: "write() 从不阻塞：内核发送缓冲区暂时收不下的部分在 Node 的内存中排队，数据最终写出后回调才运行。实验在该回调中返回 1024，而 kernel_sendmsg 返回它复制进发送缓冲区的字节数。",
    },
    factIds: [],
    sources: [NODE_NET("socketwritedata-encoding-callback", "socket.write()")],
  },
  sock_release: { symbol: "sock_release", ...RELEASE_CONNECTION },
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
  return sources.filter(
    (source, index) => sources.findIndex((s) => s.url === source.url && s.label === source.label) === index,
  );
}

/** What backs each half of an explanation: the kernel symbol's sources, and those of the Node side. */
export function explanationSources(explanation: StepExplanation): { kernel: Source[]; node: Source[] } {
  return {
    kernel: unique(kernelSymbol(explanation.symbol)?.sources ?? []),
    node: unique([
      ...explanation.factIds.flatMap((id) => kernelFact(id)?.sources ?? []),
      ...explanation.sources,
    ]),
  };
}
