import type { Bilingual, Source } from "./bilingual.ts";

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

const NET_H_61: Source = {
  label: "include/linux/net.h, v6.1 (read in Debian linux-headers-6.1.0-56, 6.1.192)",
  url: "https://github.com/torvalds/linux/blob/v6.1/include/linux/net.h",
};
export const SOCKET_C_61: Source = {
  label: "net/socket.c, v6.1 (read in Debian linux-source-6.1, 6.1.192)",
  url: "https://github.com/torvalds/linux/blob/v6.1/net/socket.c",
};
const NET_H_419: Source = {
  label: "include/linux/net.h, a v4.19 tree (kernel_sock_ioctl already absent)",
  url: "https://github.com/torvalds/linux/blob/v4.19/include/linux/net.h",
};

export const KERNEL_SYMBOLS: readonly KernelSymbol[] = [
  {
    symbol: "kernel_sendmsg",
    signature6x:
      "int kernel_sendmsg(struct socket *sock, struct msghdr *msg, struct kvec *vec, size_t num, size_t len);",
    syscall: "sendmsg(2)",
    node: "socket.write()",
    status: { en: "current", zh: "现行接口" },
    sources: [NET_H_61],
  },
  {
    symbol: "kernel_recvmsg",
    signature6x:
      "int kernel_recvmsg(struct socket *sock, struct msghdr *msg, struct kvec *vec, size_t num, size_t len, int flags);",
    syscall: "recvmsg(2)",
    node: "socket.on('data')",
    status: { en: "current", zh: "现行接口" },
    sources: [NET_H_61],
  },
  {
    symbol: "sock_create_kern",
    signature6x:
      "int sock_create_kern(struct net *net, int family, int type, int proto, struct socket **res);",
    syscall: "socket(2)",
    node: "new net.Socket() / net.createServer()",
    status: {
      en: "signature changed in v4.2: gained a first struct net * argument (pass &init_net); the 4-argument call no longer compiles",
      zh: "v4.2 起签名改变：新增第一个参数 struct net *（一般传 &init_net），旧的四参数调用无法编译",
    },
    sources: [
      NET_H_61,
      {
        label:
          'patch "net: Add a struct net parameter to sock_create_kern" (E. W. Biederman, 2015-05-09, accepted)',
        url: "http://patchwork.ozlabs.org/patch/470240/",
      },
    ],
  },
  {
    symbol: "sock_release",
    signature6x: "void sock_release(struct socket *sock);",
    syscall: "close(2)",
    node: "socket.destroy()",
    status: { en: "current", zh: "现行接口" },
    sources: [NET_H_61],
  },
  {
    symbol: "kernel_bind",
    signature6x: "int kernel_bind(struct socket *sock, struct sockaddr *addr, int addrlen);",
    syscall: "bind(2)",
    node: "server.listen() (bind step, in libuv uv_tcp_bind)",
    status: {
      en: 'current; the address type becomes struct sockaddr_unsized * in K. Cook\'s series "net: Convert proto_ops bind() callbacks to use sockaddr_unsized" (net-next, Oct 2025) — expected v6.19, release not verified at a tag',
      zh: "现行接口；K. Cook 的补丁系列（net-next，2025 年 10 月）把地址参数改为 struct sockaddr_unsized *，预计进入 v6.19，尚未在发布标签中核实",
    },
    sources: [
      NET_H_61,
      {
        label:
          "[net-next PATCH v4 1/7] net: Convert proto_ops bind() callbacks to use sockaddr_unsized (2025-10-29)",
        url: "https://lore.kernel.org/all/20251029214428.2467496-1-kees@kernel.org/",
      },
    ],
  },
  {
    symbol: "kernel_listen",
    signature6x: "int kernel_listen(struct socket *sock, int backlog);",
    syscall: "listen(2)",
    node: "server.listen()",
    status: { en: "current", zh: "现行接口" },
    sources: [NET_H_61],
  },
  {
    symbol: "kernel_accept",
    signature6x: "int kernel_accept(struct socket *sock, struct socket **newsock, int flags);",
    syscall: "accept4(2)",
    node: "server.on('connection')",
    status: {
      en: "current public signature; allocates *newsock itself via sock_create_lite(). Underneath, proto_ops->accept took a bool kern in v6.1 (added v4.11 by commit cdfbabfb2f0c — version not verified here) and takes struct proto_accept_arg * since commit 92ef0fd55ac8 (in linux-next during the v6.10 merge window, May 2024)",
      zh: "公开签名未变；内部用 sock_create_lite() 分配 *newsock。底层 proto_ops->accept 在 v6.1 带 bool kern 参数（据称 v4.11 的 cdfbabfb2f0c 引入，此处未核实版本），自提交 92ef0fd55ac8（2024 年 5 月 v6.10 合并窗口期进入 linux-next）起改为 struct proto_accept_arg *",
    },
    sources: [
      SOCKET_C_61,
      NET_H_61,
      {
        label: 'commit 92ef0fd55ac8 "net: change proto and proto_ops accept type" (J. Axboe)',
        url: "https://github.com/torvalds/linux/commit/92ef0fd55ac80dfc2e4654edfe5d1ddfa6e070fe",
      },
    ],
  },
  {
    symbol: "kernel_connect",
    signature6x: "int kernel_connect(struct socket *sock, struct sockaddr *addr, int addrlen, int flags);",
    syscall: "connect(2)",
    node: "net.connect() / socket.connect()",
    status: {
      en: "current; the address type becomes struct sockaddr_unsized * in the same 2025 series as kernel_bind (release not verified at a tag)",
      zh: "现行接口；与 kernel_bind 同一 2025 年补丁系列将地址参数改为 struct sockaddr_unsized *（尚未在发布标签中核实）",
    },
    sources: [NET_H_61],
  },
  {
    symbol: "kernel_getsockname",
    signature6x: "int kernel_getsockname(struct socket *sock, struct sockaddr *addr);",
    syscall: "getsockname(2)",
    node: "server.address() / socket.address()",
    status: {
      en: "signature changed in v4.17: the int *addrlen argument went away; returns the address length (commit 9b2c45d479d0; version per a later commit message, not checked at a tag)",
      zh: "v4.17 起签名改变：去掉 int *addrlen 参数，改为返回地址长度（提交 9b2c45d479d0；版本号来自另一提交说明，未在标签中核实）",
    },
    sources: [NET_H_61, NET_H_419],
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
    sources: [NET_H_61, NET_H_419],
  },
  {
    symbol: "kernel_getsockopt",
    signature6x: null,
    syscall: "getsockopt(2)",
    node: "—",
    status: {
      en: "removed in the v5.8 cycle (C. Hellwig's 2020 series that also removed kernel_setsockopt); absent from v6.1 net.h",
      zh: "在 v5.8 周期被移除（C. Hellwig 2020 年的补丁系列，同时移除 kernel_setsockopt）；v6.1 的 net.h 中已不存在",
    },
    sources: [NET_H_61],
  },
  {
    symbol: "kernel_setsockopt",
    signature6x: null,
    syscall: "setsockopt(2)",
    node: "socket.setNoDelay() / socket.setKeepAlive()",
    status: {
      en: 'removed in v5.8 (commit 5a892ff2facb "net: remove kernel_setsockopt", posted 2020-05-13); use helpers such as sock_set_reuseaddr(sk)',
      zh: "v5.8 移除（提交 5a892ff2facb，补丁发于 2020-05-13）；改用 sock_set_reuseaddr(sk) 等辅助函数",
    },
    sources: [
      NET_H_61,
      {
        label: "[PATCH 31/33] net: remove kernel_setsockopt (C. Hellwig, 2020-05-13)",
        url: "https://lore.kernel.org/netdev/20200513062649.2100053-32-hch@lst.de/",
      },
    ],
  },
  {
    symbol: "kernel_sendpage",
    signature6x:
      "int kernel_sendpage(struct socket *sock, struct page *page, int offset, size_t size, int flags);",
    syscall: "sendfile(2)",
    node: "—",
    status: {
      en: 'still in v6.1; removed in v6.5 by commit dc97391e6610 "sock: Remove ->sendpage*() in favour of sendmsg(MSG_SPLICE_PAGES)"',
      zh: "v6.1 仍存在；v6.5 由提交 dc97391e6610 移除，改用 sendmsg(MSG_SPLICE_PAGES)",
    },
    sources: [
      NET_H_61,
      {
        label: "commit dc97391e6610 (D. Howells)",
        url: "https://github.com/torvalds/linux/commit/dc97391e661009eab46783030d2404c9b6e6f2e7",
      },
    ],
  },
  {
    symbol: "kernel_sock_ioctl",
    signature6x: null,
    syscall: "ioctl(2)",
    node: "—",
    status: {
      en: "removed: still declared in a pre-v4.17 torvalds/linux net.h (the one with the 3-argument kernel_getsockname), absent in v4.19 and v6.1; the removing commit and exact version are unverified",
      zh: "已移除：v4.17 之前的 net.h（kernel_getsockname 仍为三参数的版本）中仍有声明，v4.19 与 v6.1 中已不存在；具体移除提交与版本未核实",
    },
    sources: [NET_H_419, NET_H_61],
  },
  {
    symbol: "kernel_sock_shutdown",
    signature6x: "int kernel_sock_shutdown(struct socket *sock, enum sock_shutdown_cmd how);",
    syscall: "shutdown(2)",
    node: "socket.end()",
    status: { en: "current", zh: "现行接口" },
    sources: [NET_H_61],
  },
];
