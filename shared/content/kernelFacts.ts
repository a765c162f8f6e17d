/**
 * Kernel facts the lesson states, each with where it was read (test/factSources.test.ts holds every
 * one to a source, and every commit id a text names to a source that names it). Pure data.
 */
import type { Source } from "./bilingual.ts";
import {
  BUSYBOX_RMMOD,
  CLOUD_CONFIG_61,
  COMMIT_INIT_EEXIST,
  COMMIT_INIT_WARNING,
  COMMIT_PRINTKRB_RECORD_MAX,
  KMOD_RMMOD,
  MODULE_C_61,
  MODULE_C_70,
  MODULE_C_71,
  PRINTK_62,
  PRINTK_63,
  PRINTK_612,
  PRINTK_C_61,
  SLAB_H_61,
  SOCK_H_61,
  SOCKET_C_61,
  STRUCT_OFFSETS_61,
} from "./kernelSources.ts";

export type KernelFact = {
  readonly id: string;
  readonly en: string;
  readonly zh: string;
  readonly sources: readonly Source[];
};

const KTHREAD_C_61: Source = {
  label: "kernel/kthread.c kthread_stop() comment, v6.1",
  url: "https://github.com/torvalds/linux/blob/v6.1/kernel/kthread.c",
};
const TCP_STATES_H: Source = {
  label: "include/net/tcp_states.h, v6.1",
  url: "https://github.com/torvalds/linux/blob/v6.1/include/net/tcp_states.h",
};
const PROC_NET_TCP_RST: Source = {
  label: "Documentation/networking/proc_net_tcp.rst, v6.1",
  url: "https://github.com/torvalds/linux/blob/v6.1/Documentation/networking/proc_net_tcp.rst",
};
const LIBUV_TCP_C: Source = {
  label: "libuv src/unix/tcp.c uv__tcp_bind() (delayed_error), uv__tcp_listen() (returns it first)",
  url: "https://github.com/libuv/libuv/blob/v1.x/src/unix/tcp.c",
};
const LIBUV_CORE_C: Source = {
  label: "libuv src/unix/core.c uv__accept(): uv__accept4(sockfd, NULL, NULL, SOCK_NONBLOCK|SOCK_CLOEXEC)",
  url: "https://github.com/libuv/libuv/blob/v1.x/src/unix/core.c",
};
const LIBUV_STREAM_C: Source = {
  label: "libuv src/unix/stream.c uv__server_io()",
  url: "https://github.com/libuv/libuv/blob/v1.x/src/unix/stream.c",
};
const NODE_NET_DOC: Source = {
  label: "Node.js docs, net.createServer([options]) pauseOnConnect",
  url: "https://nodejs.org/api/net.html#netcreateserveroptions-connectionlistener",
};

export const KERNEL_FACTS: readonly KernelFact[] = [
  {
    id: "printk-record-max",
    en: 'One printk record can reserve at most LOG_LINE_MAX bytes in v6.1: CONSOLE_LOG_MAX (1024) minus PREFIX_MAX (32, or 48 with CONFIG_PRINTK_CALLER; Debian 12\'s cloud config leaves it off), so 992 with the NUL. vprintk_store() caps the reservation there and longer text is cut. The limit changed in v6.3: b0975c47c217 "printk: adjust string limit macros" replaced it with PRINTKRB_RECORD_MAX in kernel/printk/internal.h and rounded it up to 1024 (v6.2 still has 992, v6.3 has 1024; v6.12 too).',
    zh: "v6.1 中一条 printk 记录最多预留 LOG_LINE_MAX 字节：CONSOLE_LOG_MAX（1024）减去 PREFIX_MAX（32；开启 CONFIG_PRINTK_CALLER 时为 48，Debian 12 的 cloud 配置未开启），含结尾 NUL 共 992。vprintk_store() 把预留长度截到这个值，更长的文本被截断。这个上限在 v6.3 改变：提交 b0975c47c217（“printk: adjust string limit macros”）在 kernel/printk/internal.h 中以 PRINTKRB_RECORD_MAX 取而代之，并把它取整为 1024（v6.2 仍为 992，v6.3 为 1024，v6.12 亦然）。",
    sources: [PRINTK_C_61, CLOUD_CONFIG_61, PRINTK_62, PRINTK_63, PRINTK_612, COMMIT_PRINTKRB_RECORD_MAX],
  },
  {
    id: "kmsg-escaping",
    en: "Reading /dev/kmsg (devkmsg_read → msg_print_ext_body → msg_add_ext_text) escapes every byte below ' ' (0x20), every byte >= 127 and the backslash itself as \\xNN. So the client's 1024 bytes of 0x01 appear as \\x01 repeated; util-linux dmesg decodes them and escapes them again (see how dmesg shows a record).",
    zh: "读取 /dev/kmsg 时（devkmsg_read → msg_print_ext_body → msg_add_ext_text），小于空格（0x20）的字节、大于等于 127 的字节以及反斜杠本身都会被转义为 \\xNN。因此客户端发送的 1024 个 0x01 会显示为一串 \\x01；util-linux 的 dmesg 先解码再重新转义（见 dmesg 如何显示一条记录）。",
    sources: [PRINTK_C_61],
  },
  {
    id: "insmod-blocks",
    en: "insmod returns only when the module's init returns: finit_module() → load_module() → do_init_module() → do_one_initcall(mod->init), all in the insmod process. An init that blocks in accept keeps insmod blocked.",
    zh: "只有当模块的 init 返回后 insmod 才会返回：finit_module() → load_module() → do_init_module() → do_one_initcall(mod->init)，全部在 insmod 进程中执行。若 init 阻塞在 accept 中，insmod 也会一直阻塞。",
    sources: [MODULE_C_61],
  },
  {
    id: "rmmod-during-init",
    en: "A module whose init has not returned cannot be unloaded, and the words depend on the tool. The loader holds a reference during init (module_unload_init(), dropped in do_init_module() after init). kmod's rmmod (Debian 12: kmod 30) reads /sys/module/<name>/refcnt first and stops with \"rmmod: ERROR: Module server is in use\" without calling delete_module(). delete_module() itself checks mod->state != MODULE_STATE_LIVE (comment \"Doing init or already dying?\") and returns -EBUSY, which BusyBox 1.35's rmmod (the lab's VM) prints as \"rmmod: can't unload module 'server': Device or resource busy\". The module becomes LIVE only after init returns (v6.1).",
    zh: 'init 尚未返回的模块无法卸载，具体措辞取决于所用的工具。加载器在 init 期间持有一个引用（module_unload_init()，init 返回后在 do_init_module() 中释放）。kmod 的 rmmod（Debian 12 为 kmod 30）先读取 /sys/module/<name>/refcnt，不调用 delete_module() 就以 "rmmod: ERROR: Module server is in use" 结束。delete_module() 本身检查 mod->state != MODULE_STATE_LIVE（注释为 "Doing init or already dying?"）并返回 -EBUSY，BusyBox 1.35 的 rmmod（本实验的虚拟机所用）把它显示为 "rmmod: can\'t unload module \'server\': Device or resource busy"。只有 init 返回后模块才进入 LIVE 状态（v6.1）。',
    sources: [MODULE_C_61, KMOD_RMMOD, BUSYBOX_RMMOD],
  },
  {
    id: "init-return-convention",
    en: 'A negative init return makes do_init_module() unload the module and insmod fails with that errno; a positive return loads the module anyway with the "suspiciously returned" warning: up to v7.0 two lines and a stack dump, from v7.1 one line with the module\'s name and no stack dump. From v7.1 an init that returns -EEXIST fails the load with -EBUSY instead, since -EEXIST tells user space the module is already loaded.',
    zh: 'init 返回负值时 do_init_module() 会卸载模块，insmod 以该错误码失败；返回正值时模块仍被加载，但会打印 "suspiciously returned" 警告：直到 v7.0 是两行文字加调用栈，从 v7.1 起是带模块名的一行、没有调用栈。从 v7.1 起，init 返回 -EEXIST 时加载改以 -EBUSY 失败，因为 -EEXIST 向用户空间表示模块已经加载。',
    sources: [MODULE_C_61, MODULE_C_70, MODULE_C_71, COMMIT_INIT_WARNING, COMMIT_INIT_EEXIST],
  },
  {
    id: "kernel-accept-lite",
    en: "kernel_accept() allocates the new socket itself with sock_create_lite(), calls sock->ops->accept(sock, *newsock, flags, true) (v6.1), releases it on error, and on success copies ops and takes a module reference. The caller must not kmalloc the socket and must sock_release() it.",
    zh: "kernel_accept() 自己用 sock_create_lite() 分配新 socket，调用 sock->ops->accept(sock, *newsock, flags, true)（v6.1），出错时释放它，成功时复制 ops 并增加模块引用计数。调用者不应自行 kmalloc 该 socket，用完须 sock_release()。",
    sources: [SOCKET_C_61],
  },
  {
    id: "kthread-run-stop",
    en: "kthread_run() creates a kernel thread and wakes it at once, so init can return while the thread blocks in accept. kthread_stop() sets kthread_should_stop(), wakes the thread and waits for it to exit, returning threadfn's result; if threadfn may exit on its own, the caller must keep the task_struct alive. A wake-up alone does not end a blocked kernel_accept(), so the fixed server first calls kernel_sock_shutdown() on the listener, which makes accept return -EINVAL.",
    zh: "kthread_run() 创建内核线程并立即唤醒它，因此 init 可以返回，而线程阻塞在 accept 中。kthread_stop() 设置 kthread_should_stop()、唤醒线程并等待其退出，返回线程函数的结果；若线程函数可能自行退出，调用者必须保证 task_struct 不被释放。单靠唤醒无法结束阻塞中的 kernel_accept()，所以修正版服务器先对监听 socket 调用 kernel_sock_shutdown()，让 accept 返回 -EINVAL。",
    sources: [
      KTHREAD_C_61,
      {
        label: "net/ipv4/inet_connection_sock.c inet_csk_wait_for_connect(), v6.1",
        url: "https://github.com/torvalds/linux/blob/v6.1/net/ipv4/inet_connection_sock.c",
      },
    ],
  },
  {
    id: "accept-queue",
    en: "connect() succeeds once the three-way handshake completes, even if the server has not called accept yet: the finished connection waits in the listener's accept queue, whose length is bounded by the listen() backlog. accept only takes a connection off that queue.",
    zh: "三次握手完成后 connect() 即成功返回，即使服务器还没有调用 accept：已建立的连接在监听 socket 的全连接（accept）队列中等待，队列长度受 listen() 的 backlog 限制。accept 只是从该队列中取出一个连接。",
    sources: [
      {
        label: "net/ipv4/inet_connection_sock.c inet_csk_accept() / reqsk_queue, v6.1",
        url: "https://github.com/torvalds/linux/blob/v6.1/net/ipv4/inet_connection_sock.c",
      },
    ],
  },
  {
    id: "proc-net-tcp",
    en: "/proc/net/tcp lists listening sockets first, then connections. local_address and rem_address are hex IP:port; the IPv4 address is the raw 32-bit value printed as hex, so on little-endian x86 127.0.0.1 shows as 0100007F; port 0x8888 shows as 8888. st is the TCP state from include/net/tcp_states.h: 01 ESTABLISHED, 02 SYN_SENT, 03 SYN_RECV, 04 FIN_WAIT1, 05 FIN_WAIT2, 06 TIME_WAIT, 07 CLOSE, 08 CLOSE_WAIT, 09 LAST_ACK, 0A LISTEN, 0B CLOSING. tx_queue:rx_queue are the transmit and receive queue sizes.",
    zh: "/proc/net/tcp 先列出监听 socket，再列出连接。local_address 与 rem_address 为十六进制的 IP:端口；IPv4 地址按原始 32 位值以十六进制打印，因此在小端 x86 上 127.0.0.1 显示为 0100007F；端口 0x8888 显示为 8888。st 为 include/net/tcp_states.h 中的 TCP 状态：01 ESTABLISHED、02 SYN_SENT、03 SYN_RECV、04 FIN_WAIT1、05 FIN_WAIT2、06 TIME_WAIT、07 CLOSE、08 CLOSE_WAIT、09 LAST_ACK、0A LISTEN、0B CLOSING。tx_queue:rx_queue 分别为发送队列和接收队列的大小。",
    sources: [TCP_STATES_H, PROC_NET_TCP_RST],
  },
  {
    id: "node-listen",
    en: "Node's server.listen() does socket + bind + listen through libuv (uv_tcp_bind, then uv_listen). uv__tcp_bind() tolerates EADDRINUSE from bind() and stores it in tcp->delayed_error: uv__tcp_listen() returns that delayed_error before it calls listen(2), so the error is reported when listening rather than at bind.",
    zh: "Node 的 server.listen() 通过 libuv 完成 socket + bind + listen（先 uv_tcp_bind，再 uv_listen）。uv__tcp_bind() 对 bind() 返回的 EADDRINUSE 不立即报错，而是存入 tcp->delayed_error：uv__tcp_listen() 在调用 listen(2) 之前先返回这个 delayed_error，因此该错误在 listen 时才报告。",
    sources: [LIBUV_TCP_C],
  },
  {
    id: "libuv-accepts-eagerly",
    en: "libuv accepts connections as soon as the listening fd is readable: uv__server_io() loops calling uv__accept() until EAGAIN and hands each fd to the connection callback, so Node emits 'connection' without user code calling accept. uv__accept() (src/unix/core.c) calls accept4(2) with SOCK_NONBLOCK | SOCK_CLOEXEC on Linux.",
    zh: "监听 fd 一旦可读，libuv 就会接受连接：uv__server_io() 循环调用 uv__accept() 直到 EAGAIN，并把每个 fd 交给连接回调，因此 Node 无需用户代码调用 accept 就会触发 'connection'。uv__accept()（src/unix/core.c）在 Linux 上以 SOCK_NONBLOCK | SOCK_CLOEXEC 调用 accept4(2)。",
    sources: [LIBUV_STREAM_C, LIBUV_CORE_C],
  },
  {
    id: "pause-on-connect",
    en: "With net.createServer({ pauseOnConnect: true }) each accepted socket starts paused: no data is read from its handle until socket.resume() is called. The connection is still accepted; only reading waits.",
    zh: "使用 net.createServer({ pauseOnConnect: true }) 时，每个被接受的 socket 起初处于暂停状态：在调用 socket.resume() 之前不会从其句柄读取数据。连接本身仍被接受，只是读取被推迟。",
    sources: [NODE_NET_DOC],
  },
  {
    id: "in-kernel-socket-users",
    en: "In v6.1, SunRPC's server transport (used by the in-kernel NFS server) creates its listener with __sock_create(..., kern=1) and calls kernel_bind(), kernel_listen() and kernel_accept() (net/sunrpc/svcsock.c); DRBD calls sock_create_kern(&init_net, ...) and kernel_accept() (drivers/block/drbd/drbd_receiver.c).",
    zh: "在 v6.1 中，SunRPC 服务端传输层（内核 NFS 服务器使用它）以 __sock_create(..., kern=1) 创建监听 socket，并调用 kernel_bind()、kernel_listen() 和 kernel_accept()（net/sunrpc/svcsock.c）；DRBD 调用 sock_create_kern(&init_net, ...) 和 kernel_accept()（drivers/block/drbd/drbd_receiver.c）。",
    sources: [
      {
        label:
          "net/sunrpc/svcsock.c svc_create_socket() / svc_tcp_accept(), v6.1 (read in Debian linux-source-6.1, 6.1.192)",
        url: "https://github.com/torvalds/linux/blob/v6.1/net/sunrpc/svcsock.c",
      },
      {
        label: "drivers/block/drbd/drbd_receiver.c, v6.1 (read in Debian linux-source-6.1, 6.1.192)",
        url: "https://github.com/torvalds/linux/blob/v6.1/drivers/block/drbd/drbd_receiver.c",
      },
    ],
  },
  {
    id: "socket-is-an-inode",
    en: "A struct socket lives inside struct socket_alloc next to a sockfs inode: sock_alloc() gets a new pseudo inode and returns SOCKET_I(inode), and __sock_create() stores that pointer in *res, overwriting whatever the caller's pointer held. sock_release() of a socket without a file ends in iput(SOCK_INODE(sock)). So a struct socket must come from sock_create_kern()/sock_create_lite(), never from kmalloc (v6.1).",
    zh: "struct socket 位于 struct socket_alloc 中，紧挨着一个 sockfs inode：sock_alloc() 取得一个新的伪 inode 并返回 SOCKET_I(inode)，__sock_create() 把该指针存入 *res，覆盖调用者指针原来的值。对没有 file 的 socket，sock_release() 最后调用 iput(SOCK_INODE(sock))。因此 struct socket 必须来自 sock_create_kern()/sock_create_lite()，不能来自 kmalloc（v6.1）。",
    sources: [
      SOCKET_C_61,
      {
        label:
          "include/net/sock.h struct socket_alloc, SOCK_INODE(), v6.1 (read in Debian linux-source-6.1, 6.1.192)",
        url: "https://github.com/torvalds/linux/blob/v6.1/include/net/sock.h",
      },
    ],
  },
  {
    id: "connect-refused",
    en: "A SYN to a port with no socket is answered with a reset (tcp_v4_rcv → no_tcp_socket → tcp_v4_send_reset), and tcp_reset() turns a reset received in SYN_SENT into ECONNREFUSED, so a blocking connect returns -ECONNREFUSED (-111) (v6.1).",
    zh: "发往无 socket 端口的 SYN 会收到复位（tcp_v4_rcv → no_tcp_socket → tcp_v4_send_reset），tcp_reset() 把在 SYN_SENT 状态收到的复位转换为 ECONNREFUSED，因此阻塞的 connect 返回 -ECONNREFUSED（-111）（v6.1）。",
    sources: [
      {
        label: "net/ipv4/tcp_ipv4.c tcp_v4_rcv(), v6.1 (read in Debian linux-source-6.1, 6.1.192)",
        url: "https://github.com/torvalds/linux/blob/v6.1/net/ipv4/tcp_ipv4.c",
      },
      {
        label: "net/ipv4/tcp_input.c tcp_reset(), v6.1 (read in Debian linux-source-6.1, 6.1.192)",
        url: "https://github.com/torvalds/linux/blob/v6.1/net/ipv4/tcp_input.c",
      },
    ],
  },
  {
    id: "bind-eaddrinuse",
    en: "Binding a TCP socket to a port another socket holds fails with -EADDRINUSE: inet_csk_get_port() starts from ret = -EADDRINUSE and returns it when inet_csk_bind_conflict() finds a conflicting socket (v6.1).",
    zh: "把 TCP socket 绑定到已被另一个 socket 占用的端口会以 -EADDRINUSE 失败：inet_csk_get_port() 以 ret = -EADDRINUSE 开始，当 inet_csk_bind_conflict() 发现冲突的 socket 时返回它（v6.1）。",
    sources: [
      {
        label:
          "net/ipv4/inet_connection_sock.c inet_csk_get_port(), v6.1 (read in Debian linux-source-6.1, 6.1.192)",
        url: "https://github.com/torvalds/linux/blob/v6.1/net/ipv4/inet_connection_sock.c",
      },
    ],
  },
  {
    id: "printk-default-level",
    en: 'KERN_<LEVEL> prefixes are "\\001" plus a digit, KERN_EMERG 0 to KERN_DEBUG 7 (include/linux/kern_levels.h); pr_info(fmt) is printk(KERN_INFO pr_fmt(fmt)) and pr_err() uses KERN_ERR (include/linux/printk.h). A printk with no level gets CONFIG_MESSAGE_LOGLEVEL_DEFAULT, default 4 (KERN_WARNING) in lib/Kconfig.debug; Debian 12\'s cloud-amd64 config keeps 4 (v6.1).',
    zh: 'KERN_<LEVEL> 前缀是 "\\001" 加一位数字，从 KERN_EMERG 0 到 KERN_DEBUG 7（include/linux/kern_levels.h）；pr_info(fmt) 即 printk(KERN_INFO pr_fmt(fmt))，pr_err() 使用 KERN_ERR（include/linux/printk.h）。不带级别的 printk 使用 CONFIG_MESSAGE_LOGLEVEL_DEFAULT，lib/Kconfig.debug 中默认为 4（KERN_WARNING）；Debian 12 的 cloud-amd64 配置保持为 4（v6.1）。',
    sources: [
      {
        label: "include/linux/kern_levels.h, v6.1 (read in Debian linux-source-6.1, 6.1.192)",
        url: "https://github.com/torvalds/linux/blob/v6.1/include/linux/kern_levels.h",
      },
      {
        label: "include/linux/printk.h pr_info()/pr_err(), v6.1 (read in Debian linux-source-6.1, 6.1.192)",
        url: "https://github.com/torvalds/linux/blob/v6.1/include/linux/printk.h",
      },
      {
        label: "lib/Kconfig.debug MESSAGE_LOGLEVEL_DEFAULT, v6.1 (read in Debian linux-source-6.1, 6.1.192)",
        url: "https://github.com/torvalds/linux/blob/v6.1/lib/Kconfig.debug",
      },
      {
        label: "Debian 12 linux-config-6.1 config.amd64_none_cloud-amd64",
        url: "https://packages.debian.org/bookworm/linux-config-6.1",
      },
    ],
  },
  {
    id: "proc-net-tcp-columns",
    en: "get_tcp4_sock() prints tx_queue as write_seq - snd_una (bytes sent, not yet acknowledged) and rx_queue as rcv_nxt - copied_seq (bytes received, not yet read); for a LISTEN socket rx_queue is sk_ack_backlog, the connections waiting for accept. get_tcp6_sock() prints each address as four %08X words of s6_addr32, so on x86 every 4-byte group reads byte-reversed. TIME_WAIT rows come from get_timewait4_sock() with inode 0 (v6.1).",
    zh: "get_tcp4_sock() 把 tx_queue 打印为 write_seq - snd_una（已发送、尚未被确认的字节），把 rx_queue 打印为 rcv_nxt - copied_seq（已收到、尚未读取的字节）；对 LISTEN socket，rx_queue 是 sk_ack_backlog，即等待 accept 的连接数。get_tcp6_sock() 把地址打印为 s6_addr32 的四个 %08X 字，因此在 x86 上每 4 字节一组按字节倒序显示。TIME_WAIT 行来自 get_timewait4_sock()，inode 为 0（v6.1）。",
    sources: [
      {
        label:
          "net/ipv4/tcp_ipv4.c get_tcp4_sock(), get_timewait4_sock(), v6.1 (read in Debian linux-source-6.1, 6.1.192)",
        url: "https://github.com/torvalds/linux/blob/v6.1/net/ipv4/tcp_ipv4.c",
      },
      {
        label: "net/ipv6/tcp_ipv6.c get_tcp6_sock(), v6.1 (read in Debian linux-source-6.1, 6.1.192)",
        url: "https://github.com/torvalds/linux/blob/v6.1/net/ipv6/tcp_ipv6.c",
      },
    ],
  },
  {
    id: "time-wait-fin-timeout",
    en: 'TIME_WAIT lasts TCP_TIMEWAIT_LEN, 60*HZ ("about 60 seconds", include/net/tcp.h). An orphaned socket in FIN_WAIT2 (closed by its owner, still waiting for the peer\'s FIN) is kept for tcp_fin_timeout, whose default is TCP_FIN_TIMEOUT = TCP_TIMEWAIT_LEN (tcp_sk_init() in net/ipv4/tcp_ipv4.c), as a timewait entry in FIN_WAIT2 substate (tcp_close() → tcp_time_wait(), v6.1).',
    zh: 'TIME_WAIT 持续 TCP_TIMEWAIT_LEN，即 60*HZ（include/net/tcp.h 注释为"约 60 秒"）。处于 FIN_WAIT2 的孤儿 socket（所有者已关闭、仍在等待对端 FIN）保留 tcp_fin_timeout，其默认值为 TCP_FIN_TIMEOUT = TCP_TIMEWAIT_LEN（net/ipv4/tcp_ipv4.c 的 tcp_sk_init()），以 FIN_WAIT2 子状态的 timewait 项存在（tcp_close() → tcp_time_wait()，v6.1）。',
    sources: [
      {
        label:
          "include/net/tcp.h TCP_TIMEWAIT_LEN, TCP_FIN_TIMEOUT, v6.1 (read in Debian linux-source-6.1, 6.1.192)",
        url: "https://github.com/torvalds/linux/blob/v6.1/include/net/tcp.h",
      },
      {
        label: "net/ipv4/tcp.c tcp_close(), v6.1 (read in Debian linux-source-6.1, 6.1.192)",
        url: "https://github.com/torvalds/linux/blob/v6.1/net/ipv4/tcp.c",
      },
    ],
  },
  {
    id: "shutdown-listener",
    en: "kernel_sock_shutdown(sock, SHUT_RDWR) on a LISTEN socket reaches inet_shutdown(), which for TCP_LISTEN with the receive side shut calls sk_prot->disconnect(): tcp_disconnect() runs inet_csk_listen_stop(), dropping the connections in the accept queue, and leaves LISTEN; a blocked inet_csk_wait_for_connect() then returns -EINVAL because sk_state != TCP_LISTEN (v6.1).",
    zh: "对 LISTEN socket 调用 kernel_sock_shutdown(sock, SHUT_RDWR) 会进入 inet_shutdown()：对于关闭了接收方向的 TCP_LISTEN，它调用 sk_prot->disconnect()；tcp_disconnect() 执行 inet_csk_listen_stop()，丢弃 accept 队列中的连接并离开 LISTEN；阻塞中的 inet_csk_wait_for_connect() 随后因 sk_state != TCP_LISTEN 返回 -EINVAL（v6.1）。",
    sources: [
      {
        label: "net/ipv4/af_inet.c inet_shutdown(), v6.1 (read in Debian linux-source-6.1, 6.1.192)",
        url: "https://github.com/torvalds/linux/blob/v6.1/net/ipv4/af_inet.c",
      },
      {
        label:
          "net/ipv4/tcp.c tcp_disconnect(); net/ipv4/inet_connection_sock.c inet_csk_listen_stop(), inet_csk_wait_for_connect(), v6.1",
        url: "https://github.com/torvalds/linux/blob/v6.1/net/ipv4/inet_connection_sock.c",
      },
    ],
  },
  {
    id: "vsprintf-string",
    en: "The kernel's %s (string_nocheck() in lib/vsprintf.c) copies bytes until it meets a NUL or its precision runs out; without a precision there is no limit, so a buffer with no NUL is read past its end. %.*s takes the precision from an int argument and stops there (v6.1).",
    zh: "内核的 %s（lib/vsprintf.c 的 string_nocheck()）逐字节复制，直到遇到 NUL 或精度用完；没有精度时没有上限，因此不含 NUL 的缓冲区会被越界读取。%.*s 从一个 int 参数取得精度并在此停止（v6.1）。",
    sources: [
      {
        label: "lib/vsprintf.c string_nocheck(), v6.1 (read in Debian linux-source-6.1, 6.1.192)",
        url: "https://github.com/torvalds/linux/blob/v6.1/lib/vsprintf.c",
      },
    ],
  },
  {
    id: "printk-record-text",
    en: "vprintk_store() measures the text with vsnprintf (walking a %s string to its NUL) and reserves at most LOG_LINE_MAX bytes including the terminating NUL; printk_sprint() writes at most LOG_LINE_MAX - 1 = 991 bytes of the expanded format with vscnprintf, the KERN_<LEVEL> prefix included, then strips one trailing newline, and only then strips the prefix. So a record keeps 991 bytes of text from a printk that names no level, and 989 from pr_info() (its KERN_INFO prefix is 2 bytes): the Real kernel shows the fixed server's receive record as 38 bytes of text and 951 of 0x01. A record without a trailing newline is committed open, so a KERN_CONT printk may continue it (v6.1).",
    zh: "vprintk_store() 先用 vsnprintf 计算文本长度（%s 会一直读到 NUL），预留至多 LOG_LINE_MAX 字节（含结尾 NUL）；printk_sprint() 用 vscnprintf 写入展开后的格式串，至多 LOG_LINE_MAX - 1 = 991 字节，其中包括 KERN_<LEVEL> 前缀；然后去掉一个结尾换行，最后才去掉前缀。因此不指定级别的 printk 的记录保留 991 字节文本，pr_info() 的记录保留 989 字节（KERN_INFO 前缀占 2 字节）：“真实内核”中修正版服务器的接收记录正是 38 字节文字加 951 个 0x01。没有结尾换行的记录以未结束状态提交，可被 KERN_CONT 的 printk 续写（v6.1）。",
    sources: [PRINTK_C_61],
  },
  {
    id: "dmesg-display",
    en: "util-linux dmesg decodes the \\xNN escapes of /dev/kmsg (unhexmangle_to_buffer) and prints with safe_fwrite(), which writes any byte that is neither printable nor white space as \\xNN and indents the lines after a newline inside a record: a record of 0x01 bytes shows as \\x01\\x01… Checked by running dmesg -F of util-linux 2.38.1 (Debian 12) on a syslog-format file; in the C locale bytes from 0x80 up are escaped too.",
    zh: "util-linux 的 dmesg 先解码 /dev/kmsg 中的 \\xNN 转义（unhexmangle_to_buffer），再用 safe_fwrite() 输出：既不可打印也不是空白的字节写成 \\xNN，记录内部换行之后的行会缩进；因此由 0x01 组成的记录显示为 \\x01\\x01…。已在 Debian 12 的 util-linux 2.38.1 上用 dmesg -F 读取 syslog 格式文件验证；在 C locale 下 0x80 及以上的字节也会被转义。",
    sources: [
      {
        label: "util-linux sys-utils/dmesg.c safe_fwrite(), parse_kmsg_record()",
        url: "https://github.com/util-linux/util-linux/blob/master/sys-utils/dmesg.c",
      },
    ],
  },
  {
    id: "init-warning-record",
    en: 'Up to v7.0, do_init_module()\'s warning for a positive init return is a single pr_warn() whose format holds both lines ("…it should follow 0/-E convention\\n%s: loading module anyway...\\n"), followed by dump_stack(); kernel/module/main.c defines no pr_fmt, so the text starts with "do_init_module: " (v6.1, v7.0). From v7.1 it is one pr_warn() line that starts with the module\'s name, and there is no dump_stack().',
    zh: '直到 v7.0，init 返回正值时 do_init_module() 的警告是一次 pr_warn()，其格式包含两行（"…it should follow 0/-E convention\\n%s: loading module anyway...\\n"），随后调用 dump_stack()；kernel/module/main.c 未定义 pr_fmt，所以文本以 "do_init_module: " 开头（v6.1、v7.0）。从 v7.1 起它是一行以模块名开头的 pr_warn()，不再调用 dump_stack()。',
    sources: [MODULE_C_61, MODULE_C_70, MODULE_C_71, COMMIT_INIT_WARNING],
  },
  {
    id: "kmalloc-not-zeroed",
    en: "kmalloc() does not promise cleared memory; kzalloc() is kmalloc() with __GFP_ZERO (include/linux/slab.h). But a kernel built with CONFIG_INIT_ON_ALLOC_DEFAULT_ON=y, as Debian 12's cloud kernel is, clears every slab object as it is allocated (slab_want_init_on_alloc(), slab_post_alloc_hook()), unless booted with init_on_alloc=0. On the lab's kernel a kmalloc'd struct socket is therefore all zeros, every time (v6.1).",
    zh: "kmalloc() 不保证返回清零的内存；kzalloc() 即带 __GFP_ZERO 的 kmalloc()（include/linux/slab.h）。但以 CONFIG_INIT_ON_ALLOC_DEFAULT_ON=y 构建的内核（Debian 12 的 cloud 内核就是）会在分配时清零每个 slab 对象（slab_want_init_on_alloc()、slab_post_alloc_hook()），除非启动时指定 init_on_alloc=0。因此在本实验的内核上，kmalloc 得到的 struct socket 每次都是全零（v6.1）。",
    sources: [
      SLAB_H_61,
      CLOUD_CONFIG_61,
      {
        label: "include/linux/slab.h kzalloc(), v6.1 (read in Debian linux-source-6.1, 6.1.192)",
        url: "https://github.com/torvalds/linux/blob/v6.1/include/linux/slab.h",
      },
    ],
  },
  {
    id: "socket-ops-calls",
    en: "kernel_recvmsg() → sock_recvmsg() → sock_recvmsg_nosec() calls sock->ops->recvmsg; __sock_release() calls sock->ops->release only `if (sock->ops)`, then, for a socket with no file, iput(SOCK_INODE(sock)), where SOCK_INODE() assumes the socket is embedded in a struct socket_alloc, its inode 128 bytes in. A struct socket kmalloc'd on the lab's kernel has ops NULL (the allocation is zeroed): recvmsg faults at 0x90, offsetof(struct proto_ops, recvmsg), release is skipped, and the inode lies past the 128-byte allocation (v6.1).",
    zh: "kernel_recvmsg() → sock_recvmsg() → sock_recvmsg_nosec() 调用 sock->ops->recvmsg；__sock_release() 只在 `if (sock->ops)` 成立时调用 sock->ops->release，然后对没有 file 的 socket 执行 iput(SOCK_INODE(sock))，而 SOCK_INODE() 假定该 socket 嵌在 struct socket_alloc 中、inode 位于其后 128 字节处。在本实验的内核上 kmalloc 得到的 struct socket 其 ops 为 NULL（分配被清零）：recvmsg 在 0x90（offsetof(struct proto_ops, recvmsg)）处出错，release 被跳过，而 inode 位于这 128 字节的分配之外（v6.1）。",
    sources: [SOCKET_C_61, SOCK_H_61, STRUCT_OFFSETS_61, SLAB_H_61],
  },
  {
    id: "libuv-reuseaddr",
    en: "libuv's uv__tcp_bind() sets SO_REUSEADDR on every TCP socket it binds, so a Node listener can rebind a port whose old connections sit in TIME_WAIT, as the fixed server's sock_set_reuseaddr() allows.",
    zh: "libuv 的 uv__tcp_bind() 会对它绑定的每个 TCP socket 设置 SO_REUSEADDR，因此 Node 的监听 socket 可以重新绑定旧连接仍处于 TIME_WAIT 的端口，正如修正版服务器的 sock_set_reuseaddr() 所允许的那样。",
    sources: [LIBUV_TCP_C],
  },
  {
    id: "rcvtimeo-eagain",
    en: "With SO_RCVTIMEO (sk->sk_rcvtimeo) set, a receive that gets no data before the timeout fails with EAGAIN or EWOULDBLOCK (socket(7)).",
    zh: "设置 SO_RCVTIMEO（sk->sk_rcvtimeo）后，若超时前没有收到数据，接收调用以 EAGAIN 或 EWOULDBLOCK 失败（socket(7)）。",
    sources: [
      {
        label: "socket(7), SO_RCVTIMEO and SO_SNDTIMEO",
        url: "https://man7.org/linux/man-pages/man7/socket.7.html",
      },
    ],
  },
];
