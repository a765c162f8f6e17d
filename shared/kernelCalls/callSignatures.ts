import { compareReleases } from "../releases/kernelSeries.ts";
import type { StepId, Variant } from "../protocol/steps.ts";

/** How an argument's value is read and named (the decoders in argumentDecoding.ts). */
export type ParamKind =
  | "net"
  | "int"
  | "family"
  | "sockType"
  | "protocol"
  | "socket"
  | "socketOut"
  | "sockaddr"
  | "msghdr"
  | "kvec"
  | "size"
  | "msgFlags"
  | "fileFlags"
  | "shutdown"
  | "bool"
  | "pointer"
  | "string";

export type Param = { name: string; type: string; kind: ParamKind };

export type CallSignature = {
  function: string;
  returns: string;
  params: readonly Param[];
  /** Where the function is defined (v6.1), for the learner who wants to read it. */
  definedIn: string;
};

const p = (name: string, type: string, kind: ParamKind): Param => ({ name, type, kind });
const SOCK = p("sock", "struct socket *", "socket");

/**
 * The signatures on 6.1, the lab's default release: parameter names as include/linux/net.h declares
 * them (the same declarations shared/content/kernelSymbols.ts cites; a test holds the two equal),
 * net/ipv4/af_inet.c's for the ops the published listing calls, kernel/kthread.c's.
 */
const SIGNATURES_6_1: Record<string, CallSignature> = {
  sock_create_kern: {
    function: "sock_create_kern",
    returns: "int",
    params: [
      p("net", "struct net *", "net"),
      p("family", "int", "family"),
      p("type", "int", "sockType"),
      p("proto", "int", "protocol"),
      p("res", "struct socket **", "socketOut"),
    ],
    definedIn: "net/socket.c",
  },
  kernel_bind: {
    function: "kernel_bind",
    returns: "int",
    params: [SOCK, p("addr", "struct sockaddr *", "sockaddr"), p("addrlen", "int", "int")],
    definedIn: "net/socket.c",
  },
  inet_bind: {
    function: "inet_bind",
    returns: "int",
    params: [SOCK, p("uaddr", "struct sockaddr *", "sockaddr"), p("addr_len", "int", "int")],
    definedIn: "net/ipv4/af_inet.c",
  },
  kernel_listen: {
    function: "kernel_listen",
    returns: "int",
    params: [SOCK, p("backlog", "int", "int")],
    definedIn: "net/socket.c",
  },
  inet_listen: {
    function: "inet_listen",
    returns: "int",
    params: [SOCK, p("backlog", "int", "int")],
    definedIn: "net/ipv4/af_inet.c",
  },
  kernel_accept: {
    function: "kernel_accept",
    returns: "int",
    params: [SOCK, p("newsock", "struct socket **", "socketOut"), p("flags", "int", "fileFlags")],
    definedIn: "net/socket.c",
  },
  inet_accept: {
    function: "inet_accept",
    returns: "int",
    params: [
      SOCK,
      p("newsock", "struct socket *", "socket"),
      p("flags", "int", "fileFlags"),
      p("kern", "bool", "bool"),
    ],
    definedIn: "net/ipv4/af_inet.c",
  },
  kernel_connect: {
    function: "kernel_connect",
    returns: "int",
    params: [
      SOCK,
      p("addr", "struct sockaddr *", "sockaddr"),
      p("addrlen", "int", "int"),
      p("flags", "int", "fileFlags"),
    ],
    definedIn: "net/socket.c",
  },
  inet_stream_connect: {
    function: "inet_stream_connect",
    returns: "int",
    params: [
      SOCK,
      p("uaddr", "struct sockaddr *", "sockaddr"),
      p("addr_len", "int", "int"),
      p("flags", "int", "fileFlags"),
    ],
    definedIn: "net/ipv4/af_inet.c",
  },
  kernel_sendmsg: {
    function: "kernel_sendmsg",
    returns: "int",
    params: [
      SOCK,
      p("msg", "struct msghdr *", "msghdr"),
      p("vec", "struct kvec *", "kvec"),
      p("num", "size_t", "size"),
      p("len", "size_t", "size"),
    ],
    definedIn: "net/socket.c",
  },
  kernel_recvmsg: {
    function: "kernel_recvmsg",
    returns: "int",
    params: [
      SOCK,
      p("msg", "struct msghdr *", "msghdr"),
      p("vec", "struct kvec *", "kvec"),
      p("num", "size_t", "size"),
      p("len", "size_t", "size"),
      p("flags", "int", "msgFlags"),
    ],
    definedIn: "net/socket.c",
  },
  kernel_sock_shutdown: {
    function: "kernel_sock_shutdown",
    returns: "int",
    params: [SOCK, p("how", "enum sock_shutdown_cmd", "shutdown")],
    definedIn: "net/socket.c",
  },
  sock_release: {
    function: "sock_release",
    returns: "void",
    params: [SOCK],
    definedIn: "net/socket.c",
  },
  kthread_create_on_node: {
    function: "kthread_create_on_node",
    returns: "struct task_struct *",
    params: [
      p("threadfn", "int (*)(void *)", "pointer"),
      p("data", "void *", "pointer"),
      p("node", "int", "int"),
      p("namefmt", "const char *", "string"),
    ],
    definedIn: "kernel/kthread.c",
  },
};

/**
 * v6.10's 92ef0fd55ac8 ("net: change proto and proto_ops accept type") folded inet_accept's
 * flags and kern into a `struct proto_accept_arg *`.
 */
const INET_ACCEPT_6_10: CallSignature = {
  function: "inet_accept",
  returns: "int",
  params: [SOCK, p("newsock", "struct socket *", "socket"), p("arg", "struct proto_accept_arg *", "pointer")],
  definedIn: "net/ipv4/af_inet.c",
};

/** The kernel function's signature on `series` ("6.1", "6.12"), if the lab knows the function. */
export function callSignature(fn: string, series: string): CallSignature | undefined {
  if (fn === "inet_accept" && compareReleases(series, "6.10") >= 0) return INET_ACCEPT_6_10;
  return SIGNATURES_6_1[fn];
}

/**
 * The kernel function a listing's step calls: the published listing calls the protocol through
 * `sock->ops->…` (inet_stream_ops' inet_bind, …), the fixed one the kernel_* wrappers;
 * kthread_run is a macro over kthread_create_on_node. The same names the real kernel's stepper reports.
 */
export function stepFunction(variant: Variant, step: StepId): string {
  const published: Partial<Record<StepId, string>> = {
    bind: "inet_bind",
    listen: "inet_listen",
    accept: "inet_accept",
    connect: "inet_stream_connect",
  };
  const fixed: Partial<Record<StepId, string>> = {
    bind: "kernel_bind",
    listen: "kernel_listen",
    accept: "kernel_accept",
    connect: "kernel_connect",
    kthread_run: "kthread_create_on_node",
  };
  const common: Partial<Record<StepId, string>> = {
    sock_release_conn: "sock_release",
    sock_release_listener: "sock_release",
  };
  return (variant === "published" ? published : fixed)[step] ?? common[step] ?? step;
}

/** `int kernel_recvmsg(struct socket *sock, …)`: a declaration as the kernel's headers write it. */
export function declarationText(
  fn: string,
  returns: string,
  params: readonly { name: string; type: string }[],
): string {
  const join = (type: string, name: string) => (type.endsWith("*") ? `${type}${name}` : `${type} ${name}`);
  return `${join(returns, fn)}(${params.map((p) => join(p.type, p.name)).join(", ")})`;
}
