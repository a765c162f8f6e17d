import type { Bilingual, Source } from "./bilingual.ts";
import {
  COMMIT_ACCEPT_ARG,
  COMMIT_ACCEPT_KERN,
  COMMIT_BIND_UNSIZED,
  COMMIT_CONNECT_UNSIZED,
  COMMIT_GETNAME,
  COMMIT_KERNEL_SETSOCKOPT,
  COMMIT_KILL_KERNEL_SOCK_IOCTL,
  COMMIT_SENDPAGE,
  COMMIT_SOCK_CREATE_KERN_NET,
  COMMIT_SOCKADDR_UNSIZED,
  NET_H_41,
  NET_H_42,
  NET_H_57,
  NET_H_58,
  NET_H_61,
  NET_H_64,
  NET_H_65,
  NET_H_69,
  NET_H_410,
  NET_H_411,
  NET_H_415,
  NET_H_416,
  NET_H_417,
  NET_H_610,
  NET_H_619,
  NET_H_6182,
  PATCH_KERNEL_SETSOCKOPT,
  PATCH_SOCK_CREATE_KERN_NET,
  SOCKET_C_61,
} from "./kernelSources.ts";

/** The kernel socket API the listings call: each symbol's v6.1 signature, its syscall and Node twins. */
export type KernelSymbol = {
  readonly symbol: string;
  /** Declaration in include/linux/net.h of v6.1 (Debian 6.1.192 headers), or null if gone there. */
  readonly signature6x: string | null;
  readonly syscall: string;
  readonly node: string;
  readonly status: Bilingual;
  readonly sources: readonly Source[];
};

/** The signature is the same in v6.1 and v6.19: both net.h files were read. */
const CURRENT = {
  status: {
    en: "current: the same declaration in v6.1 and v6.19",
    zh: "现行接口：v6.1 与 v6.19 中的声明相同",
  },
  sources: [NET_H_61, NET_H_619],
} as const;

export const KERNEL_SYMBOLS: readonly KernelSymbol[] = [
  {
    symbol: "kernel_sendmsg",
    signature6x:
      "int kernel_sendmsg(struct socket *sock, struct msghdr *msg, struct kvec *vec, size_t num, size_t len);",
    syscall: "sendmsg(2)",
    node: "socket.write()",
    ...CURRENT,
  },
  {
    symbol: "kernel_recvmsg",
    signature6x:
      "int kernel_recvmsg(struct socket *sock, struct msghdr *msg, struct kvec *vec, size_t num, size_t len, int flags);",
    syscall: "recvmsg(2)",
    node: "socket.on('data')",
    ...CURRENT,
  },
  {
    symbol: "sock_create_kern",
    signature6x:
      "int sock_create_kern(struct net *net, int family, int type, int proto, struct socket **res);",
    syscall: "socket(2)",
    node: "new net.Socket() / net.createServer()",
    status: {
      en: "signature changed in v4.2 (commit eeb1bd5c40ed): a first struct net * argument (pass &init_net); v4.1 has the 4-argument form, v4.2 the new one, so the listing's 4-argument call no longer compiles",
      zh: "v4.2 起签名改变（提交 eeb1bd5c40ed）：新增第一个参数 struct net *（一般传 &init_net）；v4.1 仍是四参数形式，v4.2 已是新形式，因此清单中的四参数调用无法编译",
    },
    sources: [NET_H_41, NET_H_42, PATCH_SOCK_CREATE_KERN_NET, COMMIT_SOCK_CREATE_KERN_NET, NET_H_61],
  },
  {
    symbol: "sock_release",
    signature6x: "void sock_release(struct socket *sock);",
    syscall: "close(2)",
    node: "socket.destroy()",
    ...CURRENT,
  },
  {
    symbol: "kernel_bind",
    signature6x: "int kernel_bind(struct socket *sock, struct sockaddr *addr, int addrlen);",
    syscall: "bind(2)",
    node: "server.listen() (bind step, in libuv uv_tcp_bind)",
    status: {
      en: "the address type changed in v6.19: kernel_bind() and proto_ops->bind take struct sockaddr_unsized * (commit 0e50474fa514; the struct itself added by bf33247a90d3). v6.18 still has struct sockaddr *, v6.19 the new type, so a module casts its address to (struct sockaddr_unsized *) there",
      zh: "v6.19 起地址参数类型改变：kernel_bind() 与 proto_ops->bind 改为接收 struct sockaddr_unsized *（提交 0e50474fa514；该结构体由 bf33247a90d3 引入）。v6.18 仍为 struct sockaddr *，v6.19 已是新类型，因此模块在那里要把地址转换为 (struct sockaddr_unsized *)",
    },
    sources: [NET_H_61, NET_H_6182, NET_H_619, COMMIT_SOCKADDR_UNSIZED, COMMIT_BIND_UNSIZED],
  },
  {
    symbol: "kernel_listen",
    signature6x: "int kernel_listen(struct socket *sock, int backlog);",
    syscall: "listen(2)",
    node: "server.listen()",
    ...CURRENT,
  },
  {
    symbol: "kernel_accept",
    signature6x: "int kernel_accept(struct socket *sock, struct socket **newsock, int flags);",
    syscall: "accept4(2)",
    node: "server.on('connection')",
    status: {
      en: "public signature unchanged from v6.1 to v6.19; it allocates *newsock itself with sock_create_lite(). The op beneath it changed twice: proto_ops->accept gained bool kern in v4.11 (commit cdfbabfb2f0c; v4.10 has 3 arguments, v4.11 four), and takes struct proto_accept_arg * from v6.10 (commit 92ef0fd55ac8; v6.9 still has bool kern, v6.10 the new argument)",
      zh: "公开签名从 v6.1 到 v6.19 未变；它自己用 sock_create_lite() 分配 *newsock。其下的操作改过两次：proto_ops->accept 在 v4.11 增加 bool kern 参数（提交 cdfbabfb2f0c；v4.10 为三个参数，v4.11 为四个），自 v6.10 起改为接收 struct proto_accept_arg *（提交 92ef0fd55ac8；v6.9 仍是 bool kern，v6.10 已是新参数）",
    },
    sources: [
      SOCKET_C_61,
      NET_H_61,
      NET_H_619,
      NET_H_410,
      NET_H_411,
      COMMIT_ACCEPT_KERN,
      NET_H_69,
      NET_H_610,
      COMMIT_ACCEPT_ARG,
    ],
  },
  {
    symbol: "kernel_connect",
    signature6x: "int kernel_connect(struct socket *sock, struct sockaddr *addr, int addrlen, int flags);",
    syscall: "connect(2)",
    node: "net.connect() / socket.connect()",
    status: {
      en: "the address type changed in v6.19, as for kernel_bind: kernel_connect() and proto_ops->connect take struct sockaddr_unsized * (commit 85cb0757d7e1); v6.18 still has struct sockaddr *",
      zh: "与 kernel_bind 一样，v6.19 起地址参数类型改变：kernel_connect() 与 proto_ops->connect 改为接收 struct sockaddr_unsized *（提交 85cb0757d7e1）；v6.18 仍为 struct sockaddr *",
    },
    sources: [NET_H_61, NET_H_6182, NET_H_619, COMMIT_CONNECT_UNSIZED],
  },
  {
    symbol: "kernel_getsockname",
    signature6x: "int kernel_getsockname(struct socket *sock, struct sockaddr *addr);",
    syscall: "getsockname(2)",
    node: "server.address() / socket.address()",
    status: {
      en: "signature changed in v4.17 (commit 9b2c45d479d0): the int *addrlen argument went away and the call returns the address length; v4.16 has three arguments, v4.17 two",
      zh: "v4.17 起签名改变（提交 9b2c45d479d0）：去掉 int *addrlen 参数，改为返回地址长度；v4.16 为三个参数，v4.17 为两个",
    },
    sources: [NET_H_416, NET_H_417, COMMIT_GETNAME, NET_H_61],
  },
  {
    symbol: "kernel_getpeername",
    signature6x: "int kernel_getpeername(struct socket *sock, struct sockaddr *addr);",
    syscall: "getpeername(2)",
    node: "socket.remoteAddress / socket.remotePort",
    status: {
      en: "signature changed in v4.17 together with kernel_getsockname (commit 9b2c45d479d0): two arguments, returns the length",
      zh: "与 kernel_getsockname 一同在 v4.17 改变（提交 9b2c45d479d0）：两个参数，返回地址长度",
    },
    sources: [NET_H_416, NET_H_417, COMMIT_GETNAME, NET_H_61],
  },
  {
    symbol: "kernel_getsockopt",
    signature6x: null,
    syscall: "getsockopt(2)",
    node: "—",
    status: {
      en: "removed in v5.8, the release that also removed kernel_setsockopt (commit 5a892ff2facb): v5.7 declares both, v5.8 neither",
      zh: "v5.8 移除，与 kernel_setsockopt 在同一版本中移除（后者为提交 5a892ff2facb）：v5.7 两者都有声明，v5.8 两者都没有",
    },
    sources: [NET_H_57, NET_H_58, COMMIT_KERNEL_SETSOCKOPT],
  },
  {
    symbol: "kernel_setsockopt",
    signature6x: null,
    syscall: "setsockopt(2)",
    node: "socket.setNoDelay() / socket.setKeepAlive()",
    status: {
      en: 'removed in v5.8 (commit 5a892ff2facb "net: remove kernel_setsockopt", posted 2020-05-13): v5.7 declares it, v5.8 does not; use helpers such as sock_set_reuseaddr(sk)',
      zh: "v5.8 移除（提交 5a892ff2facb，补丁发于 2020-05-13）：v5.7 仍有声明，v5.8 没有；改用 sock_set_reuseaddr(sk) 等辅助函数",
    },
    sources: [NET_H_57, NET_H_58, PATCH_KERNEL_SETSOCKOPT, COMMIT_KERNEL_SETSOCKOPT],
  },
  {
    symbol: "kernel_sendpage",
    signature6x:
      "int kernel_sendpage(struct socket *sock, struct page *page, int offset, size_t size, int flags);",
    syscall: "sendfile(2)",
    node: "—",
    status: {
      en: 'still in v6.1; removed in v6.5 by commit dc97391e6610 "sock: Remove ->sendpage*() in favour of sendmsg(MSG_SPLICE_PAGES)": v6.4 declares it, v6.5 does not',
      zh: "v6.1 仍存在；v6.5 由提交 dc97391e6610 移除，改用 sendmsg(MSG_SPLICE_PAGES)：v6.4 仍有声明，v6.5 没有",
    },
    sources: [NET_H_61, NET_H_64, NET_H_65, COMMIT_SENDPAGE],
  },
  {
    symbol: "kernel_sock_ioctl",
    signature6x: null,
    syscall: "ioctl(2)",
    node: "—",
    status: {
      en: 'removed in v4.16 by commit 5c59e564e46d "kill kernel_sock_ioctl()" (A. Viro, January 2018: "no users since 2014"): v4.15 declares and exports it, v4.16 has neither',
      zh: "v4.16 由提交 5c59e564e46d 移除（A. Viro，2018 年 1 月，说明为“no users since 2014”）：v4.15 仍声明并导出它，v4.16 两者都没有",
    },
    sources: [NET_H_415, NET_H_416, COMMIT_KILL_KERNEL_SOCK_IOCTL],
  },
  {
    symbol: "kernel_sock_shutdown",
    signature6x: "int kernel_sock_shutdown(struct socket *sock, enum sock_shutdown_cmd how);",
    syscall: "shutdown(2)",
    node: "socket.end()",
    ...CURRENT,
  },
];
