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
const SOCKET_C = "net/socket.c";
const AF_INET_C = "net/ipv4/af_inet.c";

/** An int-returning call on a `struct socket *sock`, its other parameters after it. */
const onSock = (fn: string, definedIn: string, ...rest: Param[]): CallSignature => ({
  function: fn,
  returns: "int",
  params: [SOCK, ...rest],
  definedIn,
});
const FILE_FLAGS = p("flags", "int", "fileFlags");
const BACKLOG = p("backlog", "int", "int");
/** kernel_* (include/linux/net.h) name the address `addr`, the ops (af_inet.c) `uaddr`. */
const ADDRESS = [p("addr", "struct sockaddr *", "sockaddr"), p("addrlen", "int", "int")];
const INET_ADDRESS = [p("uaddr", "struct sockaddr *", "sockaddr"), p("addr_len", "int", "int")];
const MESSAGE = [
  p("msg", "struct msghdr *", "msghdr"),
  p("vec", "struct kvec *", "kvec"),
  p("num", "size_t", "size"),
  p("len", "size_t", "size"),
];

/**
 * The signatures on 6.1, the lab's default release: parameter names as include/linux/net.h declares
 * them (the same declarations shared/content/kernelSymbols.ts cites; a test holds the two equal),
 * net/ipv4/af_inet.c's for the ops the published listing calls, kernel/kthread.c's.
 */
const SIGNATURES_6_1: Record<string, CallSignature> = Object.fromEntries(
  [
    {
      function: "sock_create_kern",
      returns: "int",
      params: [
        p("net", "struct net *", "net"),
        p("family", "int", "family"),
        p("type", "int", "sockType"),
        p("proto", "int", "protocol"),
        p("res", "struct socket **", "socketOut"),
      ],
      definedIn: SOCKET_C,
    },
    onSock("kernel_bind", SOCKET_C, ...ADDRESS),
    onSock("inet_bind", AF_INET_C, ...INET_ADDRESS),
    onSock("kernel_listen", SOCKET_C, BACKLOG),
    onSock("inet_listen", AF_INET_C, BACKLOG),
    onSock("kernel_accept", SOCKET_C, p("newsock", "struct socket **", "socketOut"), FILE_FLAGS),
    onSock(
      "inet_accept",
      AF_INET_C,
      p("newsock", "struct socket *", "socket"),
      FILE_FLAGS,
      p("kern", "bool", "bool"),
    ),
    onSock("kernel_connect", SOCKET_C, ...ADDRESS, FILE_FLAGS),
    onSock("inet_stream_connect", AF_INET_C, ...INET_ADDRESS, FILE_FLAGS),
    onSock("kernel_sendmsg", SOCKET_C, ...MESSAGE),
    onSock("kernel_recvmsg", SOCKET_C, ...MESSAGE, p("flags", "int", "msgFlags")),
    onSock("kernel_sock_shutdown", SOCKET_C, p("how", "enum sock_shutdown_cmd", "shutdown")),
    { ...onSock("sock_release", SOCKET_C), returns: "void" },
    {
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
  ].map((signature) => [signature.function, signature]),
);

/**
 * v6.10's 92ef0fd55ac8 ("net: change proto and proto_ops accept type") folded inet_accept's
 * flags and kern into a `struct proto_accept_arg *`.
 */
const INET_ACCEPT_6_10 = onSock(
  "inet_accept",
  AF_INET_C,
  p("newsock", "struct socket *", "socket"),
  p("arg", "struct proto_accept_arg *", "pointer"),
);

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
