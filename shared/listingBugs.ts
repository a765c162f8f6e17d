/**
 * The published listing's bugs, each pinned to its line by a text marker that occurs on exactly one
 * line of that listing (a unit test holds it to that), so the notes cannot drift when lines move.
 * Kernel behaviour is stated for v6.1, where it was read; the listing itself predates v4.2.
 */
import type { Source } from "./kernelFacts.ts";
import type { ModuleName } from "./steps.ts";

export type ListingBug = {
  readonly id: string;
  readonly module: ModuleName;
  /** Text found on exactly one line of the published C listing of `module`. */
  readonly marker: string;
  /** What is wrong, in one line: shown on the listing line. */
  readonly title: string;
  /** Why, and what the kernel does about it. */
  readonly detail: string;
  readonly sources: readonly Source[];
};

const v61 = (path: string, what: string): Source => ({
  label: `${path} ${what}, v6.1 (read in Debian linux-source-6.1, 6.1.192)`,
  url: `https://github.com/torvalds/linux/blob/v6.1/${path}`,
});

const SOCKET_C = v61("net/socket.c", "sock_create_kern() → __sock_create(), kernel_accept(), kernel_recvmsg(), __sock_release()");
const AF_INET_C = v61("net/ipv4/af_inet.c", "inet_accept() → __inet_accept() → sock_graft()");
const TCP_C = v61("net/ipv4/tcp.c", "tcp_sendmsg_locked() copies the data into socket buffers");
const SLAB_H = v61("include/linux/slab.h", "kmalloc() / kzalloc()");
const VSPRINTF_C = v61("lib/vsprintf.c", "string_nocheck()");
const PRINTK_C = v61("kernel/printk/printk.c", "vprintk_store()");
const MODULE_C = v61("kernel/module/main.c", "do_init_module(), delete_module()");
const NET_H = v61("include/linux/net.h", "struct proto_ops, sock_create_kern()");
const CSK_C = v61("net/ipv4/inet_connection_sock.c", "inet_csk_accept()");
const KCONFIG = v61("lib/Kconfig.debug", "MESSAGE_LOGLEVEL_DEFAULT (default 4; Debian 12's config keeps 4)");
const SOCKET_7: Source = { label: "socket(7), tcp(7): a stream socket's read returns what has arrived", url: "https://man7.org/linux/man-pages/man7/tcp.7.html" };

const LEAKED_SOCKET =
  "sock_create_kern() allocates the socket itself (__sock_create → sock_alloc) and stores it through &sock, so the struct socket kmalloc'd just above is overwritten and never freed.";
const OLD_SIGNATURE =
  "This 4-argument call predates v4.2; since then sock_create_kern() takes a struct net * first (&init_net), and the listing no longer compiles.";
const NO_LEVEL =
  "printk() without a KERN_ level logs at the default level, CONFIG_MESSAGE_LOGLEVEL_DEFAULT (4, warning, unless the kernel was configured otherwise). Use pr_info()/pr_err().";

export const PUBLISHED_BUGS: readonly ListingBug[] = [
  {
    id: "server-socket-leak",
    module: "server",
    marker: "ret=sock_create_kern(AF_INET",
    title: "leaks the kmalloc'd struct socket: sock_create_kern() overwrites sock",
    detail: `${LEAKED_SOCKET} ${OLD_SIGNATURE}`,
    sources: [SOCKET_C, NET_H],
  },
  {
    id: "server-client-sock-kmalloc",
    module: "server",
    marker: "client_sock=(struct socket *)kmalloc",
    title: "client_sock is raw kmalloc'd memory, not a socket",
    detail:
      "kmalloc() does not zero memory and nothing sets client_sock up: its ops pointer is whatever the allocation held. kernel_accept() is the call to use: it allocates the new socket with sock_create_lite() and copies sock->ops into it.",
    sources: [SOCKET_C, SLAB_H],
  },
  {
    id: "server-accept-flags",
    module: "server",
    marker: "sock->ops->accept(sock,client_sock,10)",
    title: "accept on a non-socket, with flags 10 (the backlog?)",
    detail:
      "The flags argument takes O_NONBLOCK and the like; 10 looks like the listen backlog and only happens not to contain O_NONBLOCK, so the call blocks. inet_accept() grafts the new connection onto client_sock (sock_graft() reads SOCK_INODE(client_sock), an inode a kmalloc'd struct socket does not have). In v6.1 the op takes a fourth argument, bool kern, so this call no longer compiles; use kernel_accept(sock, &newsock, 0).",
    sources: [AF_INET_C, CSK_C, NET_H],
  },
  {
    id: "server-recvbuf-leak",
    module: "server",
    marker: "recvbuf=kmalloc(1024,GFP_KERNEL);",
    title: "recvbuf is never kfree'd",
    detail: "Nothing frees recvbuf, on the error paths or after use: 1024 bytes leak with every insmod.",
    sources: [SLAB_H],
  },
  {
    id: "server-memset-sizeof",
    module: "server",
    marker: "memset(recvbuf, 0, sizeof(recvbuf))",
    title: "clears sizeof(char *) = 8 bytes, not 1024",
    detail:
      "recvbuf is a pointer, so sizeof(recvbuf) is the pointer's size (8 on 64-bit machines). The other 1016 bytes keep whatever kmalloc() returned. The fix: kzalloc(BUF_LEN + 1, …), which also leaves room for a terminating NUL.",
    sources: [SLAB_H],
  },
  {
    id: "server-recvmsg-garbage",
    module: "server",
    marker: "ret=kernel_recvmsg(",
    title: "reads through client_sock's garbage ops; may return fewer than 1024 bytes",
    detail:
      "kernel_recvmsg() → sock_recvmsg() calls sock->ops->recvmsg, and client_sock->ops was never set: on a real kernel this jumps through an uninitialised pointer (undefined; an oops is likely). The lab runs the call on a properly accepted socket. And TCP is a byte stream: one call returns what has arrived, possibly less than was sent; the return value goes unchecked.",
    sources: [SOCKET_C, SOCKET_7],
  },
  {
    id: "server-printk-unterminated",
    module: "server",
    marker: 'printk("receive message:',
    title: "%s on a buffer with no NUL: printk reads past its end",
    detail:
      "%s copies until it meets a 0 byte (string_nocheck() has no limit without a precision). 1024 bytes of 0x01 fill recvbuf and leave no NUL in it, so vsnprintf walks on into whatever memory follows. The lab stops at the buffer's end; use %.*s with the byte count instead.",
    sources: [VSPRINTF_C, PRINTK_C],
  },
  {
    id: "server-release-garbage",
    module: "server",
    marker: "sock_release(client_sock);",
    title: "releases a socket that never was one",
    detail:
      "__sock_release() calls client_sock->ops->release and then iput(SOCK_INODE(client_sock)): both through memory kmalloc never initialised. A socket from kernel_accept() is released with sock_release() safely.",
    sources: [SOCKET_C],
  },
  {
    id: "server-no-return-on-create-error",
    module: "server",
    marker: 'printk("server:socket_create error!\\n");',
    title: "no return after the error: goes on to print \"ok\" and use sock",
    detail: "When sock_create_kern() fails the code prints the error, then \"socket_create ok!\", and calls sock->ops->bind on a socket that does not exist.",
    sources: [SOCKET_C],
  },
  {
    id: "server-error-paths-leak",
    module: "server",
    marker: 'printk("server: bind error\\n");',
    title: "error returns leak sock (and client_sock, recvbuf)",
    detail: "Every early return skips sock_release(sock) and kfree(): whatever was allocated stays allocated until reboot.",
    sources: [SOCKET_C],
  },
  {
    id: "server-init-blocks",
    module: "server",
    marker: "module_init(server_init);",
    title: "init blocks in accept: insmod hangs until a client connects",
    detail:
      "insmod returns only when init returns, and init waits in accept. Meanwhile rmmod fails with EBUSY: delete_module() refuses a module that is not yet LIVE. The fixed listing runs the accept loop in a kthread.",
    sources: [MODULE_C],
  },
  {
    id: "server-init-returns-count",
    module: "server",
    marker: "return (myserver());",
    title: "init returns the byte count (1024), not 0",
    detail:
      "myserver() returns kernel_recvmsg's result. do_init_module() warns \"'server'->init suspiciously returned 1024, it should follow 0/-E convention\" (with a stack dump) and loads the module anyway.",
    sources: [MODULE_C],
  },
  {
    id: "server-no-kern-level",
    module: "server",
    marker: 'printk("server init:\\n");',
    title: "printk without a KERN_ level (every printk here)",
    detail: NO_LEVEL,
    sources: [PRINTK_C, KCONFIG],
  },
  {
    id: "client-socket-leak",
    module: "client",
    marker: "ret=sock_create_kern(AF_INET",
    title: "leaks the kmalloc'd struct socket: sock_create_kern() overwrites sock",
    detail: `${LEAKED_SOCKET} ${OLD_SIGNATURE}`,
    sources: [SOCKET_C, NET_H],
  },
  {
    id: "client-connect-error-leak",
    module: "client",
    marker: 'printk("client:connect error!\\n");',
    title: "returns without sock_release(sock)",
    detail: "A refused connect leaves the socket allocated for good: nothing else holds a pointer to it.",
    sources: [SOCKET_C],
  },
  {
    id: "client-sendbuf-leak",
    module: "client",
    marker: "sendbuf=kmalloc(1024,GFP_KERNEL);",
    title: "sendbuf is never kfree'd",
    detail: "kernel_sendmsg() copies the bytes into the socket's own buffers; sendbuf could be freed right after it, and never is.",
    sources: [SLAB_H, TCP_C],
  },
  {
    id: "client-no-newline",
    module: "client",
    marker: 'printk("client: ret!=1024");',
    title: "no trailing \\n",
    detail: "A record without a trailing newline is left open for a KERN_CONT continuation (vprintk_store); every log line should end with \\n.",
    sources: [PRINTK_C],
  },
  {
    id: "client-init-returns-count",
    module: "client",
    marker: "return (myclient());",
    title: "init returns the byte count (1024), not 0",
    detail:
      "do_init_module() warns \"'client'->init suspiciously returned 1024, it should follow 0/-E convention\", dumps the stack and loads the module anyway.",
    sources: [MODULE_C],
  },
  {
    id: "client-never-releases",
    module: "client",
    marker: "static void client_exit(void){",
    title: "exit releases nothing: the socket outlives the module",
    detail:
      "No sock_release(sock) anywhere: after the server closes its side the client's socket sits in CLOSE_WAIT, and with the module gone nothing can ever release it. A real kernel keeps it until reboot; the lab closes it when your session ends.",
    sources: [SOCKET_C],
  },
  {
    id: "client-no-kern-level",
    module: "client",
    marker: 'printk("client:init\\n");',
    title: "printk without a KERN_ level (every printk here)",
    detail: NO_LEVEL,
    sources: [PRINTK_C, KCONFIG],
  },
];

export type LocatedBug = { line: number; bug: ListingBug };

/** The bugs of one module found in its listing text, with their 1-based lines, in line order. */
export function locateBugs(cText: string, module: ModuleName, bugs: readonly ListingBug[] = PUBLISHED_BUGS): LocatedBug[] {
  const lines = cText.split("\n");
  const located: LocatedBug[] = [];
  for (const bug of bugs) {
    if (bug.module !== module) continue;
    const index = lines.findIndex((line) => line.includes(bug.marker));
    if (index >= 0) located.push({ line: index + 1, bug });
  }
  return located.sort((a, b) => a.line - b.line);
}
