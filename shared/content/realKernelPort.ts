import type { Bilingual } from "./bilingual.ts";
import type { ModuleName } from "../protocol/steps.ts";

/**
 * The smallest port that lets the published listing compile and run on the real-kernel engine's
 * kernel (Debian's 6.1 cloud kernel). Each edit is an exact string replacement on the published
 * text, shown to the learner as a diff beside the listing; everything else, bugs included, is built
 * as published, so the real kernel meets the same mistakes the listing makes.
 */
export type PortEdit = {
  module: ModuleName;
  from: string;
  to: string;
  why: Bilingual;
  /** Where the edit's reason is documented: a declaration, a commit, or the lab's own rule; `code` in backticks. */
  source: Bilingual;
};

export const REAL_KERNEL_PORT: readonly PortEdit[] = [
  {
    module: "server",
    from: "sock_create_kern(AF_INET",
    to: "sock_create_kern(&init_net, AF_INET",
    why: {
      en:
        "Since Linux 4.2 sock_create_kern takes the network namespace first; &init_net is the " +
        "namespace the listing's kernel had implicitly.",
      zh: "从 Linux 4.2 起，sock_create_kern 的第一个参数是网络命名空间；&init_net 就是清单当年所用内核隐含使用的那个命名空间。",
    },
    source: {
      en:
        "include/linux/net.h (6.1): `int sock_create_kern(struct net *net, int family, int type, int proto, " +
        'struct socket **res);` upstream commit eeb1bd5c40ed "net: Add a struct net parameter to sock_create_kern"; ' +
        "v4.1's net.h still has the 4-argument form, v4.2's the new one",
      zh:
        "include/linux/net.h（6.1）：`int sock_create_kern(struct net *net, int family, int type, int proto, " +
        'struct socket **res);` 上游提交 eeb1bd5c40ed "net: Add a struct net parameter to sock_create_kern"；' +
        "v4.1 的 net.h 仍是四参数形式，v4.2 已是新形式",
    },
  },
  {
    module: "server",
    from: "sock->ops->accept(sock,client_sock,10)",
    to: "sock->ops->accept(sock,client_sock,10,true)",
    why: {
      en:
        "Since Linux 4.11 proto_ops->accept takes a fourth argument, kern: true because the " +
        "caller is kernel code. The flags argument stays the listing's 10, as published.",
      zh: "从 Linux 4.11 起，proto_ops->accept 多了第四个参数 kern：调用者是内核代码，所以传 true。flags 参数仍是清单原文中的 10。",
    },
    source: {
      en:
        "include/linux/net.h (6.1), struct proto_ops: `int (*accept)(struct socket *sock, struct socket *newsock, " +
        'int flags, bool kern);` upstream commit cdfbabfb2f0c "net: Work around lockdep limitation in sockets that use sockets"; ' +
        "v4.10's net.h has three arguments, v4.11's four",
      zh:
        "include/linux/net.h（6.1）中的 struct proto_ops：`int (*accept)(struct socket *sock, struct socket *newsock, " +
        'int flags, bool kern);` 上游提交 cdfbabfb2f0c "net: Work around lockdep limitation in sockets that use sockets"；' +
        "v4.10 的 net.h 为三个参数，v4.11 为四个",
    },
  },
  {
    module: "client",
    from: "sock_create_kern(AF_INET",
    to: "sock_create_kern(&init_net, AF_INET",
    why: {
      en: "The same namespace argument as the server's call (Linux 4.2 and later).",
      zh: "与服务器的调用相同的命名空间参数（Linux 4.2 及以后）。",
    },
    source: {
      en: "include/linux/net.h (6.1); upstream commit eeb1bd5c40ed",
      zh: "include/linux/net.h（6.1）；上游提交 eeb1bd5c40ed",
    },
  },
  {
    module: "client",
    from: 'in_aton("192.168.209.134")',
    to: 'in_aton("127.0.0.1")',
    why: {
      en:
        "The lab's rule: nothing leaves the machine. The VM has no network device (-nic none) and " +
        "the server listens on INADDR_ANY, so the client dials it over loopback instead of the " +
        "author's LAN address.",
      zh: "实验的规则：任何数据都不离开本机。虚拟机没有网络设备（-nic none），而服务器监听 INADDR_ANY，所以客户端经回环地址连接它，而不是原作者的局域网地址。",
    },
    source: {
      en: "the lab's loopback rule (docs/real-kernel.md); the published address is never dialled",
      zh: "实验的回环规则（docs/real-kernel.md）；原文中的地址从不被连接",
    },
  },
];

export class PortError extends Error {}

/** Applies the port to one published module; every `from` must occur exactly once. */
export function portListing(module: ModuleName, publishedText: string): string {
  let text = publishedText;
  for (const edit of REAL_KERNEL_PORT) {
    if (edit.module !== module) continue;
    const count = text.split(edit.from).length - 1;
    if (count !== 1) throw new PortError(`${module}.c: "${edit.from}" occurs ${count} times, expected once`);
    text = text.replace(edit.from, () => edit.to);
  }
  return text;
}
