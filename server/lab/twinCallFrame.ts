import net from "node:net";
import { sockaddrInFields } from "../../shared/kernelCalls/argumentDecoding.ts";
import { callSignature, type Param, stepFunction } from "../../shared/kernelCalls/callSignatures.ts";
import { flagNames, MSG_FLAGS, nameOf, SHUTDOWN_COMMANDS } from "../../shared/kernelCalls/kernelConstants.ts";
import type { CallArgument, CallFrame } from "../../shared/protocol/callFrame.ts";
import type { StepId, Variant } from "../../shared/protocol/steps.ts";
import { DEFAULT_SERIES } from "../../shared/releases/kernelSeries.ts";

/**
 * What a TS twin hands a kernel call, in its own terms: the Node socket it works on, the address it
 * binds or dials, its buffer and lengths. The call view shows these as the twin's values, beside
 * the C's parameter names: a value the twin has no counterpart for (a msghdr, a struct net) stays null.
 */
export type TwinValues = {
  sock?: net.Socket | net.Server | undefined;
  /** accept's new socket / sock_create_kern's result, once the call made it. */
  made?: net.Socket | net.Server | undefined;
  addr?: { host: string; port: number };
  backlog?: number;
  /** The buffer the call reads or fills, and the length the twin hands it. */
  buffer?: Uint8Array;
  len?: number;
  how?: number;
  thread?: { fn: string; name: string };
};

function endpoint(address: string | undefined, port: number | undefined): string {
  return address === undefined ? "—" : `${address}:${port ?? 0}`;
}

/** A Node socket as the twin sees it: its class, the kernel state it stands for, and its endpoints. */
function socketFields(sock: net.Socket | net.Server) {
  if (sock instanceof net.Server) {
    const local = listenerLocal(sock);
    return [
      { name: "state", value: "SS_UNCONNECTED" },
      { name: "type", value: "SOCK_STREAM" },
      { name: "listening", value: String(sock.listening) },
      { name: "local", value: local },
    ];
  }
  const state = sock.destroyed
    ? "SS_DISCONNECTING"
    : sock.connecting
      ? "SS_CONNECTING"
      : sock.remoteAddress
        ? "SS_CONNECTED"
        : "SS_UNCONNECTED";
  return [
    { name: "state", value: state },
    { name: "type", value: "SOCK_STREAM" },
    { name: "local", value: endpoint(sock.localAddress, sock.localPort) },
    { name: "remote", value: endpoint(sock.remoteAddress, sock.remotePort) },
  ];
}

/**
 * A listener's local address: a getsockname() each time Node is asked, and every call of a lesson
 * shows it twice (enter, exit). It cannot change while the socket listens, so it is asked once.
 */
const listening = new WeakMap<net.Server, string>();

function listenerLocal(sock: net.Server): string {
  const known = sock.listening ? listening.get(sock) : undefined;
  if (known !== undefined) return known;
  const bound = sock.address();
  const local = bound && typeof bound === "object" ? endpoint(bound.address, bound.port) : "—";
  if (sock.listening) listening.set(sock, local);
  return local;
}

const className = (sock: net.Socket | net.Server) =>
  sock instanceof net.Server ? "net.Server" : "net.Socket";

function twinArgument(param: Param, values: TwinValues): CallArgument {
  const base = { name: param.name, type: param.type };
  const none = { ...base, value: null };
  switch (param.kind) {
    case "socket": {
      const sock = param.name === "newsock" ? values.made : values.sock;
      return sock
        ? { ...base, value: className(sock), fields: socketFields(sock) }
        : { ...base, value: "NULL" };
    }
    case "socketOut":
      return values.made
        ? {
            ...none,
            fields: [{ name: `*${param.name}`, value: className(values.made) }, ...socketFields(values.made)],
          }
        : none;
    case "sockaddr":
      return values.addr
        ? { ...none, fields: sockaddrInFields(2, values.addr.port, values.addr.host) }
        : none;
    case "family":
      return { ...base, value: "AF_INET" };
    case "sockType":
      return { ...base, value: "SOCK_STREAM" };
    case "protocol":
      return { ...base, value: "IPPROTO_TCP" };
    case "int":
      return param.name === "backlog" && values.backlog !== undefined
        ? { ...base, value: String(values.backlog) }
        : none;
    case "kvec":
      return values.buffer
        ? {
            ...none,
            fields: [
              { name: "iov_base", value: `Uint8Array(${values.buffer.length})` },
              { name: "iov_len", value: String(values.len ?? values.buffer.length) },
            ],
          }
        : none;
    case "size":
      if (param.name === "num") return values.buffer ? { ...base, value: "1" } : none;
      return values.len !== undefined ? { ...base, value: String(values.len) } : none;
    case "msgFlags":
      return { ...base, value: flagNames(0, MSG_FLAGS) };
    case "fileFlags":
      return { ...base, value: "0" };
    case "shutdown":
      return values.how !== undefined ? { ...base, value: nameOf(values.how, SHUTDOWN_COMMANDS) } : none;
    case "pointer":
      return param.name === "threadfn" && values.thread ? { ...base, value: values.thread.fn } : none;
    case "string":
      return param.name === "namefmt" && values.thread ? { ...base, value: `"${values.thread.name}"` } : none;
    case "net":
    case "msghdr":
    case "bool":
      return none;
    default:
      return param.kind satisfies never;
  }
}

/** The call view's frame of a Node-lab call: the C function's signature, the twin's values. */
export function twinCallFrame(variant: Variant, step: StepId, values: TwinValues): CallFrame | undefined {
  const fn = stepFunction(variant, step);
  const signature = callSignature(fn, DEFAULT_SERIES);
  if (!signature) return undefined;
  return {
    source: "twin",
    function: fn,
    release: DEFAULT_SERIES,
    returns: signature.returns,
    args: signature.params.map((param) => twinArgument(param, values)),
  };
}
