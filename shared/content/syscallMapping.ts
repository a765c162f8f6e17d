import type { Bilingual, Source } from "./bilingual.ts";
import type { StepId } from "../protocol/steps.ts";

/**
 * How each call of the TS twin reaches the kernel through system calls, and what the module's C
 * call runs in the kernel instead. The System calls tab shows the real lines strace saw; this says
 * what to expect and why (Node merges, defers or moves calls, libuv's event loop makes some).
 */
export type SyscallMapping = {
  /** The Node call the TS module's step makes. */
  readonly node: string;
  /** What that call is in system calls, in words ("no syscall: …" when it makes none). */
  readonly maps: Bilingual;
  /** v6.1: the kernel functions the module's C call runs, the first one called directly. */
  readonly kernel: readonly string[];
};

export const SYSCALL_MAPPING: Record<StepId, SyscallMapping> = {
  sock_create_kern: {
    node: "new net.Server() / new net.Socket()",
    maps: {
      en: "no syscall: Node creates the fd when it is used (socket() comes with listen or connect)",
      zh: "没有系统调用：Node 在用到时才创建 fd（socket() 随 listen 或 connect 一起发生）",
    },
    kernel: ["sock_create_kern()", "__sock_create()", "inet_create()"],
  },
  bind: {
    node: "server.listen()",
    maps: {
      en: "one server.listen = socket + setsockopt(SO_REUSEADDR) + bind + listen",
      zh: "一次 server.listen = socket + setsockopt(SO_REUSEADDR) + bind + listen",
    },
    kernel: ["sock->ops->bind = inet_bind()", "__inet_bind()"],
  },
  listen: {
    node: "server.listening",
    maps: {
      en: "no syscall: listen() already ran inside server.listen, in the bind step",
      zh: "没有系统调用：listen() 已在 bind 步骤的 server.listen 中执行",
    },
    kernel: ["sock->ops->listen = inet_listen()", "inet_csk_listen_start()"],
  },
  kthread_run: {
    node: "an async function",
    maps: {
      en: "no syscall: the lab's thread is a promise on Node's one event loop",
      zh: "没有系统调用：实验中的线程是 Node 单一事件循环上的 promise",
    },
    kernel: ["kthread_run()", "kthread_create_on_node()", "wake_up_process()"],
  },
  accept: {
    node: "the server's 'connection' event",
    maps: {
      en: "libuv's accept4 runs when the kernel queues the connection, often during the client's connect; the step takes it from the lab's queue",
      zh: "内核排队连接时 libuv 就执行 accept4（常在客户端 connect 期间）；此步骤从实验的队列中取出它",
    },
    kernel: ["sock->ops->accept = inet_accept()", "inet_csk_accept()"],
  },
  kernel_recvmsg: {
    node: "socket.resume() and one 'data' event",
    maps: {
      en: "epoll_ctl + read(fd, buf, 65536): libuv reads up to 64 KiB at once; the module gets at most its 1024",
      zh: "epoll_ctl + read(fd, buf, 65536)：libuv 一次最多读 64 KiB；模块最多拿到它的 1024 字节",
    },
    kernel: ["kernel_recvmsg()", "sock_recvmsg()", "inet_recvmsg()", "tcp_recvmsg()"],
  },
  sock_release_conn: {
    node: "socket.destroy()",
    maps: { en: "epoll_ctl(EPOLL_CTL_DEL) + close()", zh: "epoll_ctl(EPOLL_CTL_DEL) + close()" },
    kernel: ["sock_release()", "__sock_release()", "inet_release()", "tcp_close()"],
  },
  kernel_sock_shutdown: {
    node: "server.close()",
    maps: {
      en: "close(): Node has no shutdown for a listening socket",
      zh: "close()：Node 没有针对监听 socket 的 shutdown",
    },
    kernel: ["kernel_sock_shutdown()", "inet_shutdown()"],
  },
  sock_release_listener: {
    node: "server.close()",
    maps: { en: "epoll_ctl(EPOLL_CTL_DEL) + close()", zh: "epoll_ctl(EPOLL_CTL_DEL) + close()" },
    kernel: ["sock_release()", "__sock_release()", "inet_release()", "tcp_close()"],
  },
  connect: {
    node: "socket.connect()",
    maps: {
      en: "socket + connect (-1 EINPROGRESS: the socket is non-blocking) + epoll_ctl, then getsockopt(SO_ERROR) once epoll says it is writable",
      zh: "socket + connect（-1 EINPROGRESS：socket 是非阻塞的）+ epoll_ctl，epoll 报告可写后再 getsockopt(SO_ERROR)",
    },
    kernel: ["sock->ops->connect = inet_stream_connect()", "__inet_stream_connect()", "tcp_v4_connect()"],
  },
  kernel_sendmsg: {
    node: "socket.write()",
    maps: {
      en: "one write() (writev when Node has several buffers)",
      zh: "一次 write()（Node 有多个缓冲区时为 writev）",
    },
    kernel: ["kernel_sendmsg()", "sock_sendmsg()", "inet_sendmsg()", "tcp_sendmsg()"],
  },
  sock_release: {
    node: "socket.destroy()",
    maps: { en: "epoll_ctl(EPOLL_CTL_DEL) + close()", zh: "epoll_ctl(EPOLL_CTL_DEL) + close()" },
    kernel: ["sock_release()", "__sock_release()", "inet_release()", "tcp_close()"],
  },
};

/** Where the kernel functions above were read (v6.1). */
export const SYSCALL_MAPPING_SOURCES: readonly Source[] = [
  {
    label:
      "net/socket.c, v6.1: __sys_bind(), __sys_listen(), __sys_accept4(), __sys_connect(), sock_release()",
    url: "https://github.com/torvalds/linux/blob/v6.1/net/socket.c",
  },
  {
    label: "net/ipv4/af_inet.c, v6.1: inet_bind(), inet_listen(), inet_accept(), inet_stream_connect()",
    url: "https://github.com/torvalds/linux/blob/v6.1/net/ipv4/af_inet.c",
  },
];
