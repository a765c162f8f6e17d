/**
 * The published listing's bugs, each pinned to its line by a text marker that occurs on exactly one
 * line of that listing (a unit test holds it to that), so the notes cannot drift when lines move.
 * Kernel behaviour is stated for v6.1 as Debian 12 builds it (the lab's Real kernel), where it was
 * read; the listing itself predates v4.2.
 */
import type { Bilingual, Source } from "./bilingual.ts";
import {
  AF_INET_C_61,
  BUSYBOX_RMMOD,
  CLOUD_CONFIG_61,
  COMMIT_INIT_WARNING,
  KMOD_RMMOD,
  MODULE_C_61,
  MODULE_C_70,
  MODULE_C_71,
  NET_H_41,
  NET_H_42,
  NET_H_410,
  NET_H_411,
  SLAB_H_61,
  SOCK_H_61,
  SOCKET_C_61,
  STRUCT_OFFSETS_61,
} from "./kernelSources.ts";
import type { ModuleName } from "../protocol/steps.ts";

export type ListingBug = {
  readonly id: string;
  readonly module: ModuleName;
  /** Text found on exactly one line of the published C listing of `module`. */
  readonly marker: string;
  /** What is wrong, in one line: shown on the listing line. */
  readonly title: Bilingual;
  /** Why, and what the kernel does about it. */
  readonly detail: Bilingual;
  readonly sources: readonly Source[];
};

const v61 = (path: string, what: string): Source => ({
  label: `${path} ${what}, v6.1 (read in Debian linux-source-6.1, 6.1.192)`,
  url: `https://github.com/torvalds/linux/blob/v6.1/${path}`,
});

const SOCKET_C = v61(
  "net/socket.c",
  "sock_create_kern() → __sock_create(), kernel_accept(), kernel_recvmsg(), __sock_release()",
);
const TCP_C = v61("net/ipv4/tcp.c", "tcp_sendmsg_locked() copies the data into socket buffers");
const SLAB_H = v61("include/linux/slab.h", "kmalloc() / kzalloc()");
const VSPRINTF_C = v61("lib/vsprintf.c", "string_nocheck()");
const PRINTK_C = v61("kernel/printk/printk.c", "vprintk_store()");
const NET_H = v61("include/linux/net.h", "struct proto_ops, sock_create_kern()");
const CSK_C = v61("net/ipv4/inet_connection_sock.c", "inet_csk_accept()");
const KCONFIG = v61("lib/Kconfig.debug", "MESSAGE_LOGLEVEL_DEFAULT (default 4; Debian 12's config keeps 4)");
const SOCKET_7: Source = {
  label: "socket(7), tcp(7): a stream socket's read returns what has arrived",
  url: "https://man7.org/linux/man-pages/man7/tcp.7.html",
};

const LEAKED_SOCKET: Bilingual = {
  en: "sock_create_kern() allocates the socket itself (__sock_create → sock_alloc) and stores it through &sock, so the struct socket kmalloc'd just above is overwritten and never freed. This 4-argument call predates v4.2; since then sock_create_kern() takes a struct net * first (&init_net), and the listing no longer compiles.",
  zh: "sock_create_kern() 自己分配 socket（__sock_create → sock_alloc），并通过 &sock 把它存回去，于是上面刚用 kmalloc 分配的 struct socket 被覆盖，再也不会被释放。这种四参数调用早于 v4.2；从那以后 sock_create_kern() 的第一个参数是 struct net *（&init_net），这份清单已无法编译。",
};
const NO_LEVEL: Bilingual = {
  en: "printk() without a KERN_ level logs at the default level, CONFIG_MESSAGE_LOGLEVEL_DEFAULT (4, warning, unless the kernel was configured otherwise). Use pr_info()/pr_err().",
  zh: "不带 KERN_ 级别的 printk() 以默认级别记录，即 CONFIG_MESSAGE_LOGLEVEL_DEFAULT（4，warning，除非内核另行配置）。应使用 pr_info()/pr_err()。",
};
const SOCKET_LEAK_TITLE: Bilingual = {
  en: "leaks the kmalloc'd struct socket: sock_create_kern() overwrites sock",
  zh: "泄漏 kmalloc 分配的 struct socket：sock_create_kern() 覆盖了 sock",
};
const NO_LEVEL_TITLE: Bilingual = {
  en: "printk without a KERN_ level (every printk here)",
  zh: "printk 没有 KERN_ 级别（这里的每个 printk 都是）",
};
const INIT_COUNT_TITLE: Bilingual = {
  en: "init returns the byte count (1024), not 0",
  zh: "init 返回字节数（1024），而不是 0",
};

export const PUBLISHED_BUGS: readonly ListingBug[] = [
  {
    id: "server-socket-leak",
    module: "server",
    marker: "ret=sock_create_kern(AF_INET",
    title: SOCKET_LEAK_TITLE,
    detail: LEAKED_SOCKET,
    sources: [SOCKET_C_61, NET_H_41, NET_H_42, NET_H],
  },
  {
    id: "server-client-sock-kmalloc",
    module: "server",
    marker: "client_sock=(struct socket *)kmalloc",
    title: {
      en: "client_sock is raw kmalloc'd memory, not a socket",
      zh: "client_sock 只是 kmalloc 得到的原始内存，不是 socket",
    },
    detail: {
      en: "Nothing sets client_sock up as a socket: it is 128 bytes from kmalloc(). kmalloc() promises no particular contents, and on the lab's kernel they are zeros every time: Debian 12's cloud config sets CONFIG_INIT_ON_ALLOC_DEFAULT_ON=y, so every slab allocation is cleared. client_sock->ops is therefore NULL, and the first call through it oopses (see kernel_recvmsg below). kernel_accept() is the call to use: it allocates the new socket with sock_create_lite() and copies sock->ops into it.",
      zh: "没有任何代码把 client_sock 初始化成一个 socket：它只是 kmalloc() 得到的 128 个字节。kmalloc() 不保证内容是什么，而在本实验的内核上每次都是全零：Debian 12 的 cloud 配置设置了 CONFIG_INIT_ON_ALLOC_DEFAULT_ON=y，每次从 slab 分配都会清零。因此 client_sock->ops 为 NULL，第一次经由它的调用就会 oops（见下面的 kernel_recvmsg）。应该调用 kernel_accept()：它用 sock_create_lite() 分配新 socket，并把 sock->ops 复制过去。",
    },
    sources: [SOCKET_C_61, SLAB_H_61, CLOUD_CONFIG_61, SLAB_H],
  },
  {
    id: "server-accept-flags",
    module: "server",
    marker: "sock->ops->accept(sock,client_sock,10)",
    title: {
      en: "accept on a non-socket, with flags 10 (the backlog?)",
      zh: "在一个并非 socket 的对象上 accept，flags 还是 10（把 backlog 写错了位置？）",
    },
    detail: {
      en: "The flags argument takes O_NONBLOCK and the like; 10 looks like the listen backlog and only happens not to contain O_NONBLOCK, so the call blocks. The accept itself does not fault: inet_accept() never touches newsock->ops. It grafts the new connection onto client_sock (in 6.1.192 through __inet_accept(), af_inet.c:745, a helper the 6.1.y series gained in 6.1.93), and sock_graft() copies SOCK_INODE(client_sock)->i_uid (sock.h:2225): that inode lies at offset 128 of struct socket_alloc, just past the 128 bytes kmalloc'd, so it reads whatever the slab holds next. Since v4.11 the op takes a fourth argument, bool kern (v4.10 has three), so this call no longer compiles; use kernel_accept(sock, &newsock, 0).",
      zh: "flags 参数接收 O_NONBLOCK 之类的标志；10 看起来像是 listen 的 backlog，只是碰巧不含 O_NONBLOCK，所以这次调用会阻塞。accept 本身不会出错：inet_accept() 从不访问 newsock->ops。它把新连接嫁接到 client_sock 上（在 6.1.192 中经由 __inet_accept()，af_inet.c:745，这是 6.1.y 系列在 6.1.93 中获得的辅助函数），而 sock_graft() 会复制 SOCK_INODE(client_sock)->i_uid（sock.h:2225）：这个 inode 位于 struct socket_alloc 的第 128 字节处，正好在 kmalloc 得到的 128 个字节之后，所以读到的是 slab 中紧随其后的任意内容。自 v4.11 起这个操作多了第四个参数 bool kern（v4.10 只有三个），所以这行调用已无法编译；应使用 kernel_accept(sock, &newsock, 0)。",
    },
    sources: [AF_INET_C_61, SOCK_H_61, STRUCT_OFFSETS_61, CSK_C, NET_H_410, NET_H_411, NET_H],
  },
  {
    id: "server-recvbuf-leak",
    module: "server",
    marker: "recvbuf=kmalloc(1024,GFP_KERNEL);",
    title: { en: "recvbuf is never kfree'd", zh: "recvbuf 从未被 kfree" },
    detail: {
      en: "Nothing frees recvbuf, on the error paths or after use: 1024 bytes leak with every insmod.",
      zh: "无论是在出错路径上还是用完之后，都没有代码释放 recvbuf：每次 insmod 泄漏 1024 字节。",
    },
    sources: [SLAB_H],
  },
  {
    id: "server-memset-sizeof",
    module: "server",
    marker: "memset(recvbuf, 0, sizeof(recvbuf))",
    title: {
      en: "clears sizeof(char *) = 8 bytes, not 1024",
      zh: "只清零了 sizeof(char *) = 8 个字节，而不是 1024",
    },
    detail: {
      en: "recvbuf is a pointer, so sizeof(recvbuf) is the pointer's size (8 on 64-bit machines). The other 1016 bytes keep whatever kmalloc() returned: zeros on the lab's kernel, which clears every allocation (CONFIG_INIT_ON_ALLOC_DEFAULT_ON=y), old data on a kernel that does not. The fix: kzalloc(BUF_LEN + 1, …), which also leaves room for a terminating NUL.",
      zh: "recvbuf 是指针，所以 sizeof(recvbuf) 是指针的大小（64 位机器上为 8）。其余 1016 个字节保持 kmalloc() 返回时的原样：在本实验的内核上是全零，因为它会清零每次分配（CONFIG_INIT_ON_ALLOC_DEFAULT_ON=y）；在不清零的内核上则是旧数据。修正办法：kzalloc(BUF_LEN + 1, …)，同时还为结尾的 NUL 留出空间。",
    },
    sources: [SLAB_H, SLAB_H_61, CLOUD_CONFIG_61],
  },
  {
    id: "server-recvmsg-garbage",
    module: "server",
    marker: "ret=kernel_recvmsg(",
    title: {
      en: "calls through client_sock->ops, which is NULL: an oops; and may return fewer than 1024 bytes",
      zh: "经由为 NULL 的 client_sock->ops 调用：oops；而且返回的字节可能少于 1024",
    },
    detail: {
      en: "kernel_recvmsg() → sock_recvmsg() → sock_recvmsg_nosec() loads sock->ops->recvmsg (net/socket.c:1023), and client_sock->ops is NULL: the kernel zeroed the kmalloc'd memory and nothing set it. recvmsg sits at offset 0x90 of struct proto_ops, so the Real kernel mode shows “BUG: kernel NULL pointer dereference, address: 0000000000000090” in sock_recvmsg, every run. The Node lab runs the call on a properly accepted socket. And TCP is a byte stream: one call returns what has arrived, possibly less than was sent; the return value goes unchecked.",
      zh: "kernel_recvmsg() → sock_recvmsg() → sock_recvmsg_nosec() 会读取 sock->ops->recvmsg（net/socket.c:1023），而 client_sock->ops 为 NULL：内核把 kmalloc 得到的内存清零了，也没有代码设置它。recvmsg 位于 struct proto_ops 的 0x90 偏移处，所以“真实内核”模式每次都在 sock_recvmsg 中显示“BUG: kernel NULL pointer dereference, address: 0000000000000090”。Node 实验在一个正确 accept 得到的 socket 上执行这次调用。此外 TCP 是字节流：一次调用返回已经到达的数据，可能少于对方发送的量；而返回值没有被检查。",
    },
    sources: [SOCKET_C_61, STRUCT_OFFSETS_61, SLAB_H_61, CLOUD_CONFIG_61, SOCKET_7],
  },
  {
    id: "server-printk-unterminated",
    module: "server",
    marker: 'printk("receive message:',
    title: {
      en: "%s on a buffer with no NUL: printk reads past its end",
      zh: "对没有 NUL 的缓冲区用 %s：printk 会越过其末尾读取",
    },
    detail: {
      en: "%s copies until it meets a 0 byte (string_nocheck() has no limit without a precision). 1024 bytes of 0x01 fill recvbuf and leave no NUL in it, so vsnprintf walks on into whatever memory follows. The lab stops at the buffer's end; use %.*s with the byte count instead.",
      zh: "%s 一直复制到遇见 0 字节为止（没有精度时 string_nocheck() 不设上限）。1024 个 0x01 填满了 recvbuf，其中没有 NUL，于是 vsnprintf 继续读进后面的任意内存。实验在缓冲区末尾停下；应改用 %.*s 并传入字节数。",
    },
    sources: [VSPRINTF_C, PRINTK_C],
  },
  {
    id: "server-release-garbage",
    module: "server",
    marker: "sock_release(client_sock);",
    title: { en: "releases a socket that never was one", zh: "释放一个从来就不是 socket 的 socket" },
    detail: {
      en: "__sock_release() checks `if (sock->ops)` first (net/socket.c:649): with client_sock->ops NULL it skips the protocol's release, so the connection accept grafted on is never closed. It then calls iput(SOCK_INODE(client_sock)) (socket.c:666), and that inode would sit at offset 128 of struct socket_alloc, past the 128 bytes kmalloc'd: iput() works on whatever the slab holds next. (In the Real kernel mode the server oopses in kernel_recvmsg before it gets here.) A socket from kernel_accept() is released with sock_release() safely.",
      zh: "__sock_release() 先检查 `if (sock->ops)`（net/socket.c:649）：client_sock->ops 为 NULL，于是跳过协议的 release，accept 嫁接上去的连接永远不会被关闭。随后它调用 iput(SOCK_INODE(client_sock))（socket.c:666），而这个 inode 本应位于 struct socket_alloc 的第 128 字节处，已在 kmalloc 得到的 128 个字节之外：iput() 处理的是 slab 中紧随其后的任意内容。（在“真实内核”模式下，服务器在 kernel_recvmsg 中就已 oops，走不到这里。）由 kernel_accept() 得到的 socket 才能用 sock_release() 安全释放。",
    },
    sources: [SOCKET_C_61, SOCK_H_61, STRUCT_OFFSETS_61],
  },
  {
    id: "server-no-return-on-create-error",
    module: "server",
    marker: 'printk("server:socket_create error!\\n");',
    title: {
      en: 'no return after the error: goes on to print "ok" and use sock',
      zh: '出错后没有 return：接着打印 "ok" 并使用 sock',
    },
    detail: {
      en: 'When sock_create_kern() fails the code prints the error, then "socket_create ok!", and calls sock->ops->bind on a socket that does not exist.',
      zh: 'sock_create_kern() 失败时，代码先打印错误，再打印 "socket_create ok!"，然后在一个并不存在的 socket 上调用 sock->ops->bind。',
    },
    sources: [SOCKET_C],
  },
  {
    id: "server-error-paths-leak",
    module: "server",
    marker: 'printk("server: bind error\\n");',
    title: {
      en: "error returns leak sock (and client_sock, recvbuf)",
      zh: "出错返回时泄漏 sock（以及 client_sock、recvbuf）",
    },
    detail: {
      en: "Every early return skips sock_release(sock) and kfree(): whatever was allocated stays allocated until reboot.",
      zh: "每个提前返回都跳过了 sock_release(sock) 和 kfree()：已分配的一切都会一直占着，直到重启。",
    },
    sources: [SOCKET_C],
  },
  {
    id: "server-init-blocks",
    module: "server",
    marker: "module_init(server_init);",
    title: {
      en: "init blocks in accept: insmod hangs until a client connects",
      zh: "init 阻塞在 accept 中：insmod 一直挂起，直到有客户端连接",
    },
    detail: {
      en: "insmod returns only when init returns, and init waits in accept. Meanwhile the module cannot be unloaded. kmod's rmmod (Debian's) sees the reference the loader holds during init and says \"rmmod: ERROR: Module server is in use\" without asking the kernel; delete_module() itself refuses a module that is not yet LIVE with -EBUSY, which BusyBox's rmmod shows as \"rmmod: can't unload module 'server': Device or resource busy\". The fixed listing runs the accept loop in a kthread.",
      zh: '只有 init 返回，insmod 才会返回，而 init 在 accept 中等待。这期间模块无法卸载。kmod 的 rmmod（Debian 所用）看到加载器在 init 期间持有的引用，不询问内核就报告 "rmmod: ERROR: Module server is in use"；delete_module() 本身则以 -EBUSY 拒绝尚未进入 LIVE 状态的模块，BusyBox 的 rmmod 把它显示为 "rmmod: can\'t unload module \'server\': Device or resource busy"。修正版清单在内核线程（kthread）中运行 accept 循环。',
    },
    sources: [MODULE_C_61, KMOD_RMMOD, BUSYBOX_RMMOD],
  },
  {
    id: "server-init-returns-count",
    module: "server",
    marker: "return (myserver());",
    title: INIT_COUNT_TITLE,
    detail: {
      en: 'myserver() returns kernel_recvmsg\'s result. Where the receive works (the Node lab), do_init_module() loads the module anyway with a warning: up to v7.0, "do_init_module: \'server\'->init suspiciously returned 1024, it should follow 0/-E convention", "do_init_module: loading module anyway..." and a stack dump; from v7.1, one line, "server: init suspiciously returned 1024, it should follow 0/-E convention", and no stack dump. (On the Real kernel the server oopses in kernel_recvmsg first.)',
      zh: 'myserver() 返回的是 kernel_recvmsg 的结果。在接收能成功的地方（Node 实验），do_init_module() 仍会加载模块并发出警告：直到 v7.0 是 "do_init_module: \'server\'->init suspiciously returned 1024, it should follow 0/-E convention"、"do_init_module: loading module anyway..." 加上调用栈；从 v7.1 起只有一行 "server: init suspiciously returned 1024, it should follow 0/-E convention"，不再打印调用栈。（在“真实内核”中，服务器会先在 kernel_recvmsg 中 oops。）',
    },
    sources: [MODULE_C_61, MODULE_C_70, MODULE_C_71, COMMIT_INIT_WARNING],
  },
  {
    id: "server-no-kern-level",
    module: "server",
    marker: 'printk("server init:\\n");',
    title: NO_LEVEL_TITLE,
    detail: NO_LEVEL,
    sources: [PRINTK_C, KCONFIG],
  },
  {
    id: "client-socket-leak",
    module: "client",
    marker: "ret=sock_create_kern(AF_INET",
    title: SOCKET_LEAK_TITLE,
    detail: LEAKED_SOCKET,
    sources: [SOCKET_C_61, NET_H_41, NET_H_42, NET_H],
  },
  {
    id: "client-connect-error-leak",
    module: "client",
    marker: 'printk("client:connect error!\\n");',
    title: { en: "returns without sock_release(sock)", zh: "没有 sock_release(sock) 就返回" },
    detail: {
      en: "A refused connect leaves the socket allocated for good: nothing else holds a pointer to it.",
      zh: "connect 被拒绝后，这个 socket 就永远处于已分配状态：再没有别的地方持有指向它的指针。",
    },
    sources: [SOCKET_C],
  },
  {
    id: "client-sendbuf-leak",
    module: "client",
    marker: "sendbuf=kmalloc(1024,GFP_KERNEL);",
    title: { en: "sendbuf is never kfree'd", zh: "sendbuf 从未被 kfree" },
    detail: {
      en: "kernel_sendmsg() copies the bytes into the socket's own buffers; sendbuf could be freed right after it, and never is.",
      zh: "kernel_sendmsg() 会把这些字节复制进 socket 自己的缓冲区；sendbuf 在它之后就可以释放，却始终没有释放。",
    },
    sources: [SLAB_H, TCP_C],
  },
  {
    id: "client-no-newline",
    module: "client",
    marker: 'printk("client: ret!=1024");',
    title: { en: "no trailing \\n", zh: "末尾没有 \\n" },
    detail: {
      en: "A record without a trailing newline is left open for a KERN_CONT continuation (vprintk_store); every log line should end with \\n.",
      zh: "没有结尾换行的记录会保持打开，等待 KERN_CONT 续写（vprintk_store）；每一行日志都应以 \\n 结尾。",
    },
    sources: [PRINTK_C],
  },
  {
    id: "client-init-returns-count",
    module: "client",
    marker: "return (myclient());",
    title: INIT_COUNT_TITLE,
    detail: {
      en: 'do_init_module() loads the module anyway with a warning. Up to v7.0 (the lab\'s 6.1 included): "do_init_module: \'client\'->init suspiciously returned 1024, it should follow 0/-E convention", then "do_init_module: loading module anyway..." and a stack dump. From v7.1: one line, "client: init suspiciously returned 1024, it should follow 0/-E convention", and no stack dump.',
      zh: 'do_init_module() 仍然加载模块，并发出警告。直到 v7.0（包括本实验的 6.1）："do_init_module: \'client\'->init suspiciously returned 1024, it should follow 0/-E convention"，接着是 "do_init_module: loading module anyway..." 和调用栈。从 v7.1 起：只有一行 "client: init suspiciously returned 1024, it should follow 0/-E convention"，不再打印调用栈。',
    },
    sources: [MODULE_C_61, MODULE_C_70, MODULE_C_71, COMMIT_INIT_WARNING],
  },
  {
    id: "client-never-releases",
    module: "client",
    marker: "static void client_exit(void){",
    title: {
      en: "exit releases nothing: the socket outlives the module",
      zh: "exit 什么也不释放：socket 比模块活得更久",
    },
    detail: {
      en: "No sock_release(sock) anywhere: after the server closes its side the client's socket sits in CLOSE_WAIT, and with the module gone nothing can ever release it. A real kernel keeps it until reboot; the lab closes it when your session ends.",
      zh: "代码中任何地方都没有 sock_release(sock)：服务器关闭它那一侧后，客户端的 socket 停在 CLOSE_WAIT，而模块一旦卸载，就再也没有谁能释放它。真实内核会一直保留它直到重启；实验在你的会话结束时关闭它。",
    },
    sources: [SOCKET_C],
  },
  {
    id: "client-no-kern-level",
    module: "client",
    marker: 'printk("client:init\\n");',
    title: NO_LEVEL_TITLE,
    detail: NO_LEVEL,
    sources: [PRINTK_C, KCONFIG],
  },
];

export type LocatedBug = { line: number; bug: ListingBug };

/** The bugs of one module found in its listing text, with their 1-based lines, in line order. */
export function locateBugs(
  cText: string,
  module: ModuleName,
  bugs: readonly ListingBug[] = PUBLISHED_BUGS,
): LocatedBug[] {
  const lines = cText.split("\n");
  const located: LocatedBug[] = [];
  for (const bug of bugs) {
    if (bug.module !== module) continue;
    const index = lines.findIndex((line) => line.includes(bug.marker));
    if (index >= 0) located.push({ line: index + 1, bug });
  }
  return located.sort((a, b) => a.line - b.line);
}
