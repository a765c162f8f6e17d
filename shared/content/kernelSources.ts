import type { Source } from "./bilingual.ts";

/**
 * Where the lab's kernel facts were read, one entry per place, so a fact cites the exact file, line
 * and release it rests on. A release's version was settled by reading the file in the release
 * before a change and in the release that has it (single-version source trees whose Makefile names
 * the version); a commit id comes from its commit page where one was read, else from the source
 * audit of issue 15, and says which.
 */

const tagUrl = (tag: string, path: string) => `https://github.com/torvalds/linux/blob/${tag}/${path}`;

/** A file as one release has it: `at` names what was read there (lines, symbols), `where` the copy read. */
function release(tag: string, path: string, at: string, where: string): Source {
  return { label: `${path}, ${tag}: ${at} (read in ${where})`, url: tagUrl(tag, path) };
}

const DEBIAN_61 = "Debian linux-source-6.1 6.1.192";
const DEBIAN_612 = "Debian linux-source-6.12 6.12.117";
const HEADERS_61 = "Debian linux-headers-6.1.0-57, 6.1.192";
const tree = (repo: string, version: string) => `a ${version} tree, github.com/${repo}`;

// ── include/linux/net.h across releases ──────────────────────────────────────────────────────────
export const NET_H_61 = release("v6.1", "include/linux/net.h", "328–346 (kernel_* declarations)", HEADERS_61);
export const NET_H_619 = release(
  "v6.19",
  "include/linux/net.h",
  "255–258, 342–354 (same declarations; bind/connect take struct sockaddr_unsized *)",
  tree("matankalina/linux-6.19.10-fork", "6.19.0"),
);
export const NET_H_6182 = release(
  "v6.18",
  "include/linux/net.h",
  "348, 351 (kernel_bind/kernel_connect still take struct sockaddr *)",
  tree("gfunkmonk/linux-6.18.2", "6.18.2"),
);
export const NET_H_41 = release(
  "v4.1",
  "include/linux/net.h",
  "211 (int sock_create_kern(int family, …), no struct net *)",
  tree("jarroldp/linux-4.1.5", "4.1.5"),
);
export const NET_H_42 = release(
  "v4.2",
  "include/linux/net.h",
  "210 (int sock_create_kern(struct net *net, …))",
  tree("zfruc/linux-4.2.0", "4.2.8"),
);
export const NET_H_410 = release(
  "v4.10",
  "include/linux/net.h",
  "148–149 (proto_ops->accept(sock, newsock, flags): no kern)",
  tree("pengdonglin137/linux-4.10.17", "4.10.17"),
);
export const NET_H_411 = release(
  "v4.11",
  "include/linux/net.h",
  "148–149 (proto_ops->accept(…, int flags, bool kern))",
  tree("HCLS/linux-4.11", "4.11.0"),
);
export const NET_H_415 = release(
  "v4.15",
  "include/linux/net.h",
  "309 (int kernel_sock_ioctl(…) declared); net/socket.c 3394–3405 defines and exports it",
  tree("Kent-Hu/linux-4.15.1", "4.15.1"),
);
export const NET_H_416 = release(
  "v4.16",
  "include/linux/net.h",
  "298–299 (kernel_getsockname still takes int *addrlen; kernel_sock_ioctl gone)",
  tree("lizuobin/linux-4.16.13_tiny4412", "4.16.13"),
);
export const NET_H_417 = release(
  "v4.17",
  "include/linux/net.h",
  "298–299 (kernel_getsockname/kernel_getpeername(sock, addr), two arguments)",
  tree("LakshK98/linux-4.17", "4.17.0"),
);
export const NET_H_57 = release(
  "v5.7",
  "include/linux/net.h",
  "306–308 (kernel_getsockopt, kernel_setsockopt declared)",
  tree("a5221985/linux-5.7.14", "5.7.14"),
);
export const NET_H_58 = release(
  "v5.8",
  "include/linux/net.h",
  "(kernel_getsockopt, kernel_setsockopt absent)",
  tree("semwett0301/linux-5.8.1", "5.8.1"),
);
export const NET_H_64 = release(
  "v6.4",
  "include/linux/net.h",
  "342 (kernel_sendpage still declared)",
  tree("lewisevans2007/linux-6.4", "6.4.6"),
);
export const NET_H_65 = release(
  "v6.5",
  "include/linux/net.h",
  "(kernel_sendpage absent; accept still takes bool kern at 174)",
  tree("sndrzt/linux-6.5", "6.5.0"),
);
export const NET_H_69 = release(
  "v6.9",
  "include/linux/net.h",
  "174 (proto_ops->accept(…, int flags, bool kern))",
  tree("ec-jt/linux-6.9.0", "6.9.0"),
);
export const NET_H_610 = release(
  "v6.10",
  "include/linux/net.h",
  "156, 176 (proto_ops->accept(…, struct proto_accept_arg *arg))",
  tree("msgeden/cryptocap-arm64-linux-6.10", "6.10.0"),
);

// ── net/, mm/, kernel/ files of 6.1 ──────────────────────────────────────────────────────────────
export const SOCKET_C_61 = release(
  "v6.1",
  "net/socket.c",
  "647–670 (__sock_release: `if (sock->ops)` at 649, iput(SOCK_INODE(sock)) at 666), 1020–1026 (sock_recvmsg_nosec calls sock->ops->recvmsg at 1023)",
  DEBIAN_61,
);
export const AF_INET_C_61 = release(
  "v6.1",
  "net/ipv4/af_inet.c",
  "745–759 (__inet_accept → sock_graft), 765–780 (inet_accept: newsock->ops untouched)",
  `${DEBIAN_61}; __inet_accept came to 6.1.y in 6.1.93, "inet: factor out locked section of inet_accept() in a new helper" in Debian's changelog for 6.1.94-1`,
);
export const SOCK_H_61 = release(
  "v6.1",
  "include/net/sock.h",
  "1636–1639 (struct socket_alloc: the socket, then its inode), 2218–2228 (sock_graft reads SOCK_INODE(parent)->i_uid at 2225)",
  DEBIAN_61,
);
export const SLAB_H_61 = release(
  "v6.1",
  "mm/slab.h",
  "726–748 (slab_post_alloc_hook: memset(p[i], 0, s->object_size) at 744), 825–836 (slab_want_init_on_alloc)",
  DEBIAN_61,
);
export const CLOUD_CONFIG_61: Source = {
  label:
    "Debian 12 /boot/config-6.1.0-57-cloud-amd64: CONFIG_INIT_ON_ALLOC_DEFAULT_ON=y, CONFIG_SLUB=y, CONFIG_PRINTK_CALLER not set, CONFIG_MESSAGE_LOGLEVEL_DEFAULT=4",
  url: "https://packages.debian.org/bookworm/linux-image-6.1.0-57-cloud-amd64",
};
export const STRUCT_OFFSETS_61: Source = {
  label:
    "offsetof(struct proto_ops, recvmsg) = 0x90, sizeof(struct socket) = 128, offsetof(struct socket_alloc, vfs_inode) = 128: a module built against the 6.1.0-57-cloud-amd64 headers, values read from its object file",
  url: "https://github.com/torvalds/linux/blob/v6.1/include/linux/net.h",
};
export const PRINTK_C_61 = release(
  "v6.1",
  "kernel/printk/printk.c",
  "385–398 (PREFIX_MAX 32, CONSOLE_LOG_MAX 1024, LOG_LINE_MAX), 2118–2146 (printk_sprint: vscnprintf at 2124, the level prefix stripped after it at 2132–2141), 2187–2191 (vprintk_store caps the reservation at LOG_LINE_MAX), 2250–2254 (a record without a newline stays open)",
  DEBIAN_61,
);
export const PRINTK_62 = release(
  "v6.2",
  "kernel/printk/printk.c",
  "476–482 (LOG_LINE_MAX = CONSOLE_LOG_MAX - PREFIX_MAX), 2246–2247",
  tree("daniellucs2002/linux-6.2.1-customized", "6.2.1"),
);
export const PRINTK_63 = release(
  "v6.3",
  "kernel/printk/internal.h",
  "30 (#define PRINTKRB_RECORD_MAX 1024); printk.c 2203–2204 caps the reservation at it",
  tree("SToPire/linux-6.3.8", "6.3.8"),
);
export const PRINTK_612 = release(
  "v6.12",
  "kernel/printk/internal.h",
  "52 (PRINTKRB_RECORD_MAX 1024); printk.c 2170 (vscnprintf), 2185 (prefix stripped after it), 2236–2237",
  DEBIAN_612,
);
export const MODULE_C_61 = release(
  "v6.1",
  "kernel/module/main.c",
  "541–556 (module_unload_init holds a reference during init, 552–553), 730–734 (delete_module: -EBUSY unless LIVE), 2463–2513 (do_init_module: the warning 2482–2488, the reference dropped 2512–2513)",
  DEBIAN_61,
);
export const MODULE_C_70 = release(
  "v7.0",
  "kernel/module/main.c",
  "3051–3055 (the two-line warning, then dump_stack())",
  'a tree whose Makefile reads 7.0.0-hydra, github.com/julianw1010/hydra-linux-7.0.0, its first commit titled "Linux 7.0.0-rc6"',
);
export const MODULE_C_71 = release(
  "v7.1",
  "kernel/module/main.c",
  "3109–3114 (an init's -EEXIST becomes -EBUSY), 3118–3120 (one pr_warn line with the module's name, no dump_stack())",
  tree("danayer/linux-7.1.5", "7.1.5"),
);

// ── user-space tools ─────────────────────────────────────────────────────────────────────────────
export const KMOD_RMMOD: Source = {
  label:
    'kmod tools/rmmod.c check_module_inuse(): refcnt > 0 prints "Module %s is in use", delete_module() is not called; tools/log.c prefixes "rmmod: ERROR: " (kmod 30 on Debian 12)',
  url: "https://github.com/kmod-project/kmod/blob/master/tools/rmmod.c",
};
export const BUSYBOX_RMMOD: Source = {
  label:
    "BusyBox 1.35.0 modutils/rmmod.c (Debian 12 busybox-static): \"can't unload module '%s'\" with the errno's text; run in the lab's VM during the server's init",
  url: "https://git.busybox.net/busybox/tree/modutils/rmmod.c?h=1_35_stable",
};

// ── commits ──────────────────────────────────────────────────────────────────────────────────────
/** A commit: `read` says whether its page was read here or its id comes from the audit (issue 15). */
function commit(id: string, title: string | null, read: string, url?: string): Source {
  return {
    label: `commit ${id.slice(0, 12)}${title ? ` "${title}"` : ""} (${read})`,
    url: url ?? `https://github.com/torvalds/linux/commit/${id}`,
  };
}

const AUDIT = "id from the issue-15 source audit; the release checked in the trees cited beside it";

export const COMMIT_KILL_KERNEL_SOCK_IOCTL = commit(
  "5c59e564e46dcbab2ee7a4e9e0243562a39679a2",
  "kill kernel_sock_ioctl()",
  'A. Viro, committed 2018-01-24, "no users since 2014"; merged into net-next by 8ec59b44a006 the same day; commit page read on git.zx2c4.com/linux-dev',
  "https://git.zx2c4.com/linux-dev/commit/?id=5c59e564e46dcbab2ee7a4e9e0243562a39679a2",
);
export const COMMIT_SOCK_CREATE_KERN_NET = commit(
  "eeb1bd5c40ed",
  "net: Add a struct net parameter to sock_create_kern",
  "E. W. Biederman, 2015-05-09; the patch read on patchwork.ozlabs.org/patch/470240, state Accepted",
);
export const PATCH_SOCK_CREATE_KERN_NET: Source = {
  label: "[2/6] net: Add a struct net parameter to sock_create_kern (E. W. Biederman, 2015-05-09, Accepted)",
  url: "http://patchwork.ozlabs.org/patch/470240/",
};
export const COMMIT_ACCEPT_KERN = commit(
  "cdfbabfb2f0c",
  "net: Work around lockdep limitation in sockets that use sockets",
  AUDIT,
);
export const COMMIT_GETNAME = commit(
  "9b2c45d479d0",
  null,
  "getname() returns the address length instead of filling an int *; id from the issue-15 audit, the release checked in the 4.16.13 and 4.17.0 trees",
);
export const COMMIT_KERNEL_SETSOCKOPT = commit("5a892ff2facb", "net: remove kernel_setsockopt", AUDIT);
export const PATCH_KERNEL_SETSOCKOPT: Source = {
  label: "[PATCH 31/33] net: remove kernel_setsockopt (C. Hellwig, 2020-05-13)",
  url: "https://lore.kernel.org/netdev/20200513062649.2100053-32-hch@lst.de/",
};
export const COMMIT_SENDPAGE = commit(
  "dc97391e661009eab46783030d2404c9b6e6f2e7",
  "sock: Remove ->sendpage*() in favour of sendmsg(MSG_SPLICE_PAGES)",
  `D. Howells; ${AUDIT}`,
);
export const COMMIT_ACCEPT_ARG = commit(
  "92ef0fd55ac80dfc2e4654edfe5d1ddfa6e070fe",
  "net: change proto and proto_ops accept type",
  "J. Axboe, 2024-05-13, the day after v6.9, in the v6.10 merge window; date read in the include/net/inet_common.h log on git.zx2c4.com/laptop-kernel",
);
export const COMMIT_SOCKADDR_UNSIZED = commit(
  "bf33247a90d3e85d53a9b55bb276b725456ff0bf",
  null,
  "K. Cook; its diff adding struct sockaddr_unsized to include/linux/socket.h read on tangled.org/tjh.dev/kernel2",
  "https://tangled.org/tjh.dev/kernel2/commit/bf33247a90d3e85d53a9b55bb276b725456ff0bf.diff",
);
export const COMMIT_BIND_UNSIZED = commit(
  "0e50474fa514822e9d990874e554bf8043a201d7",
  "net: Convert proto_ops bind() callbacks to use sockaddr_unsized",
  "K. Cook, 2025-11-04; its diff of proto_ops->bind and kernel_bind read on git.zx2c4.com/laptop-kernel",
  "https://git.zx2c4.com/laptop-kernel/diff/include/linux?id=0e50474fa514822e9d990874e554bf8043a201d7",
);
export const COMMIT_CONNECT_UNSIZED = commit(
  "85cb0757d7e1",
  "net: Convert proto_ops connect() callbacks to use sockaddr_unsized",
  "K. Cook, 2025-11-04 (title and date read in the include/linux/net.h log on git.zx2c4.com/wireguard-linux); id from the issue-15 audit",
);
export const COMMIT_PRINTKRB_RECORD_MAX = commit(
  "b0975c47c217",
  "printk: adjust string limit macros",
  "J. Ogness; merged for v6.3-rc1 by d8763154455e (2023-02-23); ids from the issue-15 audit, the release checked in the 6.2.1 and 6.3.8 trees",
);
export const COMMIT_INIT_WARNING = commit(
  "663385f9155f",
  "module: Simplify warning on positive returns from module_init()",
  "L. De Marchi; merged as 88b29f3f5799 on 2026-04-15 for v7.1-rc1; ids from the issue-15 audit, the release checked in the 7.0.0 and 7.1.5 trees",
);
export const COMMIT_INIT_EEXIST = commit(
  "743f8cae549a",
  null,
  "the companion of 663385f9155f: an init that returns -EEXIST fails the load with -EBUSY; id from the issue-15 audit, the code read in the 7.1.5 tree",
);
