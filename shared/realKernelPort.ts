import type { ModuleName } from "./steps.ts";

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
  why: string;
  source: string;
};

export const REAL_KERNEL_PORT: readonly PortEdit[] = [
  {
    module: "server",
    from: "sock_create_kern(AF_INET",
    to: "sock_create_kern(&init_net, AF_INET",
    why:
      "Since Linux 4.2 sock_create_kern takes the network namespace first; &init_net is the " +
      "namespace the listing's kernel had implicitly.",
    source:
      "include/linux/net.h (6.1): int sock_create_kern(struct net *net, int family, int type, int proto, " +
      "struct socket **res); upstream commit eeb1bd5c40ed \"net: Add a struct net parameter to sock_create_kern\"",
  },
  {
    module: "server",
    from: "sock->ops->accept(sock,client_sock,10)",
    to: "sock->ops->accept(sock,client_sock,10,true)",
    why:
      "Since Linux 4.11 proto_ops->accept takes a fourth argument, kern: true because the " +
      "caller is kernel code. The flags argument stays the listing's 10, as published.",
    source:
      "include/linux/net.h (6.1), struct proto_ops: int (*accept)(struct socket *sock, struct socket *newsock, " +
      "int flags, bool kern); upstream commit cdfbabfb2f0c \"net: Work around lockdep limitation in sockets that use sockets\"",
  },
  {
    module: "client",
    from: "sock_create_kern(AF_INET",
    to: "sock_create_kern(&init_net, AF_INET",
    why: "The same namespace argument as the server's call (Linux 4.2 and later).",
    source: "include/linux/net.h (6.1); upstream commit eeb1bd5c40ed",
  },
  {
    module: "client",
    from: 'in_aton("192.168.209.134")',
    to: 'in_aton("127.0.0.1")',
    why:
      "The lab's rule: nothing leaves the machine. The VM has no network device (-nic none) and " +
      "the server listens on INADDR_ANY, so the client dials it over loopback instead of the " +
      "author's LAN address.",
    source: "the lab's loopback rule (docs/real-kernel.md); the published address is never dialled",
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
