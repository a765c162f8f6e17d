import type { Bilingual } from "../content/bilingual.ts";
import type { ModuleName, Variant } from "../protocol/steps.ts";
import { compareReleases } from "./kernelSeries.ts";

/**
 * One table for every release's listing: each API change the lesson's modules meet between 2.6.32
 * and 7.x, the first release that has it, its upstream commits, and the edits it asks of the two
 * listings. The published listing's text is as published (written for kernels before 4.2): an edit
 * marked "since" is applied on every release from `since` on. The fixed listing's text is written
 * for 6.1: an edit marked "before" takes it back to the older API on releases before `since`.
 * Everything else — the published listing's bugs included — is built as written on every release.
 *
 * Measured by reading the kernel's files at the release before and the release with each change
 * (issue 23); the 6.1 and 6.12 rows are also proved by kbuild against Debian's headers
 * (test/releaseListings.integration.test.ts).
 */
export type ListingEdit = {
  variant: Variant;
  module: ModuleName;
  /** An exact text that occurs once in the listing at that point of the chain. */
  from: string;
  to: string;
  applies: "since" | "before";
  /** The commits of this edit, where the change came in several (6.19's bind and connect); else the change's. */
  commits?: readonly string[];
};

export type ApiChange = {
  /** The first release with the change ("0" for the lab's own rule, applied everywhere). */
  since: string;
  what: Bilingual;
  /** Upstream commits (12 hex digits), empty for the lab's rule. */
  commits: readonly string[];
  /** Where it is declared, in the release that has it. */
  source: string;
  /** Empty when neither listing uses what changed (shown in the diff view as a note). */
  edits: readonly ListingEdit[];
};

export const LAB_RULE = "0";

/**
 * 6.19's change came in three commits (docs/kernel-facts.md): bf33247a90d3 adds struct
 * sockaddr_unsized, 0e50474fa514 converts bind and kernel_bind, 85cb0757d7e1 connect and
 * kernel_connect. A hunk names the struct's commit and its own call's.
 */
const SOCKADDR_UNSIZED_BIND = ["bf33247a90d3", "0e50474fa514"] as const;
const SOCKADDR_UNSIZED_CONNECT = ["bf33247a90d3", "85cb0757d7e1"] as const;

export const API_CHANGES: readonly ApiChange[] = [
  {
    since: LAB_RULE,
    what: {
      en: "The lab's rule: nothing leaves the machine, so the client dials the server over loopback.",
      zh: "实验的规则：任何数据都不离开本机，所以客户端经回环地址连接服务器。",
    },
    commits: [],
    source: "docs/real-kernel.md (the VM has -nic none)",
    edits: [
      {
        variant: "published",
        module: "client",
        from: 'in_aton("192.168.209.134")',
        to: 'in_aton("127.0.0.1")',
        applies: "since",
      },
    ],
  },
  {
    since: "3.19",
    what: {
      en: "struct msghdr: msg_iov/msg_iovlen become msg_iter; kernel_sendmsg/kernel_recvmsg keep their signatures.",
      zh: "struct msghdr：msg_iov/msg_iovlen 换成 msg_iter；kernel_sendmsg/kernel_recvmsg 的签名不变。",
    },
    commits: ["c0371da6047a"],
    source: "include/linux/socket.h (v3.19)",
    edits: [],
  },
  {
    since: "4.2",
    what: {
      en: "sock_create_kern takes the network namespace first (struct net *net).",
      zh: "sock_create_kern 的第一个参数成了网络命名空间（struct net *net）。",
    },
    commits: ["eeb1bd5c40ed"],
    source:
      "include/linux/net.h (v4.2): int sock_create_kern(struct net *net, int family, int type, int proto, struct socket **res);",
    edits: [
      {
        variant: "published",
        module: "server",
        from: "sock_create_kern(AF_INET",
        to: "sock_create_kern(&init_net, AF_INET",
        applies: "since",
      },
      {
        variant: "published",
        module: "client",
        from: "sock_create_kern(AF_INET",
        to: "sock_create_kern(&init_net, AF_INET",
        applies: "since",
      },
      {
        variant: "fixed",
        module: "server",
        from: "sock_create_kern(&init_net, AF_INET",
        to: "sock_create_kern(AF_INET",
        applies: "before",
      },
      {
        variant: "fixed",
        module: "client",
        from: "sock_create_kern(&init_net, AF_INET",
        to: "sock_create_kern(AF_INET",
        applies: "before",
      },
    ],
  },
  {
    since: "4.11",
    what: {
      en: "proto_ops->accept takes a fourth argument, bool kern (true: the caller is kernel code).",
      zh: "proto_ops->accept 多了第四个参数 bool kern（调用者是内核代码时为 true）。",
    },
    commits: ["cdfbabfb2f0c"],
    source:
      "include/linux/net.h (v4.11): int (*accept)(struct socket *sock, struct socket *newsock, int flags, bool kern);",
    edits: [
      {
        variant: "published",
        module: "server",
        from: "sock->ops->accept(sock,client_sock,10)",
        to: "sock->ops->accept(sock,client_sock,10,true)",
        applies: "since",
      },
    ],
  },
  {
    since: "4.16",
    what: { en: "kernel_sock_ioctl is removed.", zh: "kernel_sock_ioctl 被移除。" },
    commits: ["5c59e564e46d"],
    source: "include/linux/net.h (v4.16)",
    edits: [],
  },
  {
    since: "4.17",
    what: {
      en: "kernel_getsockname/kernel_getpeername lose their int *addrlen.",
      zh: "kernel_getsockname/kernel_getpeername 去掉了 int *addrlen 参数。",
    },
    commits: ["9b2c45d479d0"],
    source: "include/linux/net.h (v4.17)",
    edits: [],
  },
  {
    since: "5.8",
    what: {
      en: "kernel_setsockopt/kernel_getsockopt are removed; sock_set_reuseaddr() sets SO_REUSEADDR.",
      zh: "kernel_setsockopt/kernel_getsockopt 被移除；用 sock_set_reuseaddr() 设置 SO_REUSEADDR。",
    },
    commits: ["5a892ff2facb", "b58f0e8f38c0"],
    source: "include/net/sock.h (v5.8): void sock_set_reuseaddr(struct sock *sk);",
    edits: [
      {
        variant: "fixed",
        module: "server",
        from: "sock_set_reuseaddr(sock->sk);",
        to: "kernel_setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, (char *)&(int){ 1 }, sizeof(int));",
        applies: "before",
      },
    ],
  },
  {
    since: "6.10",
    what: {
      en: "proto_ops->accept takes its flags and kern in a struct proto_accept_arg.",
      zh: "proto_ops->accept 的 flags 与 kern 改由 struct proto_accept_arg 传入。",
    },
    commits: ["92ef0fd55ac8"],
    source:
      "include/linux/net.h (v6.10): int (*accept)(struct socket *sock, struct socket *newsock, struct proto_accept_arg *arg);",
    edits: [
      {
        variant: "published",
        module: "server",
        from: "sock->ops->accept(sock,client_sock,10,true)",
        to: "sock->ops->accept(sock,client_sock,&(struct proto_accept_arg){ .flags = 10, .kern = true })",
        applies: "since",
      },
    ],
  },
  {
    since: "6.19",
    what: {
      en: "kernel_bind/kernel_connect and proto_ops->bind/connect take a struct sockaddr_unsized *.",
      zh: "kernel_bind/kernel_connect 以及 proto_ops->bind/connect 改为接收 struct sockaddr_unsized *。",
    },
    commits: ["bf33247a90d3", "0e50474fa514", "85cb0757d7e1"],
    source: "include/linux/net.h (v6.19)",
    edits: [
      {
        variant: "published",
        module: "server",
        from: "sock->ops->bind(sock,(struct sockaddr *)&s_addr",
        to: "sock->ops->bind(sock,(struct sockaddr_unsized *)&s_addr",
        applies: "since",
        commits: SOCKADDR_UNSIZED_BIND,
      },
      {
        variant: "published",
        module: "client",
        from: "sock->ops->connect(sock,(struct sockaddr *)&s_addr",
        to: "sock->ops->connect(sock,(struct sockaddr_unsized *)&s_addr",
        applies: "since",
        commits: SOCKADDR_UNSIZED_CONNECT,
      },
      {
        variant: "fixed",
        module: "server",
        from: "kernel_bind(sock, (struct sockaddr *)&s_addr",
        to: "kernel_bind(sock, (struct sockaddr_unsized *)&s_addr",
        applies: "since",
        commits: SOCKADDR_UNSIZED_BIND,
      },
      {
        variant: "fixed",
        module: "client",
        from: "kernel_connect(sock, (struct sockaddr *)&s_addr",
        to: "kernel_connect(sock, (struct sockaddr_unsized *)&s_addr",
        applies: "since",
        commits: SOCKADDR_UNSIZED_CONNECT,
      },
    ],
  },
];

export class ReleaseEditError extends Error {}

/** Whether a change's edits are applied to the listing built for `release`. */
export function editApplies(change: ApiChange, edit: ListingEdit, release: string): boolean {
  const has = change.since === LAB_RULE || compareReleases(release, change.since) >= 0;
  return edit.applies === "since" ? has : !has;
}

/**
 * The text of one listing as built for `release`. `withEdits: false` keeps only the lab's rule
 * (loopback): the published listing as its author wrote it, so the release's compiler says what
 * it makes of it.
 */
export function listingForRelease(
  variant: Variant,
  module: ModuleName,
  text: string,
  release: string,
  withEdits = true,
): string {
  let out = text;
  for (const change of API_CHANGES) {
    if (!withEdits && change.since !== LAB_RULE) continue;
    for (const edit of change.edits) {
      if (edit.variant !== variant || edit.module !== module || !editApplies(change, edit, release)) continue;
      const count = out.split(edit.from).length - 1;
      if (count !== 1)
        throw new ReleaseEditError(
          `${variant}/${module}.c for ${release}: "${edit.from}" occurs ${count} times, expected once`,
        );
      out = out.replace(edit.from, () => edit.to);
    }
  }
  return out;
}

/** The changes between two releases (either order), oldest first, the lab's rule left out. */
export function changesBetween(a: string, b: string): ApiChange[] {
  const [lo, hi] = compareReleases(a, b) <= 0 ? [a, b] : [b, a];
  return API_CHANGES.filter(
    (c) => c.since !== LAB_RULE && compareReleases(c.since, lo) > 0 && compareReleases(c.since, hi) <= 0,
  );
}
