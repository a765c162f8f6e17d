import type { CallArgument } from "../protocol/callFrame.ts";
import type { Param } from "./callSignatures.ts";
import {
  ADDRESS_FAMILIES,
  FILE_FLAGS,
  flagNames,
  IP_PROTOCOLS,
  MSG_FLAGS,
  nameOf,
  SHUTDOWN_COMMANDS,
  SOCKET_STATES,
  SOCKET_TYPES,
} from "./kernelConstants.ts";

/**
 * Where the members the call view shows sit, in bytes, as the guest kernel's build lays them out
 * (server/realKernel/gdb/kernelLayout.ts asks the compiler, against that build's headers and .config).
 */
export type CallStructLayouts = {
  socket: { state: number; type: number; sk: number; ops: number; size: number };
  sockaddrIn: { family: number; port: number; addr: number; size: number };
  msghdr: {
    name: number;
    namelen: number;
    iterCount: number;
    controllen: number;
    flags: number;
    size: number;
  };
  kvec: { base: number; len: number; size: number };
};

/**
 * What was read for one argument: its register (the x86-64 SysV ABI's rdi, rsi, rdx, rcx, r8,
 * r9, in order), and for a pointer the bytes of what it points to, when they were read.
 */
export type ArgumentReading = { word: bigint; memory?: Uint8Array };

export type SymbolAt = (address: bigint) => string | undefined;

export function pointerText(address: bigint): string {
  return address === 0n ? "NULL" : `0x${BigInt.asUintN(64, address).toString(16)}`;
}

function view(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function u64(bytes: Uint8Array, at: number): bigint {
  return view(bytes).getBigUint64(at, true);
}

/** sin_port and sin_addr are in network byte order (big-endian): ntohs / the dotted quad. */
export function sockaddrInFields(family: number, port: number, address: string) {
  return [
    { name: "sin_family", value: nameOf(family, ADDRESS_FAMILIES) },
    { name: "sin_port", value: `htons(${port}) = 0x${port.toString(16)}` },
    { name: "sin_addr", value: address },
  ];
}

/** A `struct sockaddr_in`'s bytes → sin_family, sin_port, sin_addr (network byte order decoded). */
export function decodeSockaddrIn(bytes: Uint8Array, layout: CallStructLayouts["sockaddrIn"]) {
  const data = view(bytes);
  const family = data.getUint16(layout.family, true);
  const port = data.getUint16(layout.port, false);
  const address = Array.from(bytes.subarray(layout.addr, layout.addr + 4)).join(".");
  return sockaddrInFields(family, port, address);
}

/** A `struct socket`'s bytes → state (SS_*), type (SOCK_*), ops by symbol, sk. */
export function decodeSocketFields(
  bytes: Uint8Array,
  layout: CallStructLayouts["socket"],
  symbolAt: SymbolAt,
) {
  const data = view(bytes);
  const ops = u64(bytes, layout.ops);
  return [
    { name: "state", value: nameOf(data.getInt32(layout.state, true), SOCKET_STATES) },
    { name: "type", value: nameOf(data.getInt16(layout.type, true), SOCKET_TYPES) },
    { name: "ops", value: ops === 0n ? "NULL" : `&${symbolAt(ops) ?? pointerText(ops)}` },
    { name: "sk", value: pointerText(u64(bytes, layout.sk)) },
  ];
}

/** A `struct msghdr`'s bytes → the members a kernel caller sets or the call changes. */
export function decodeMsghdr(bytes: Uint8Array, layout: CallStructLayouts["msghdr"]) {
  const data = view(bytes);
  return [
    { name: "msg_name", value: pointerText(u64(bytes, layout.name)) },
    { name: "msg_namelen", value: String(data.getInt32(layout.namelen, true)) },
    { name: "msg_iter.count", value: u64(bytes, layout.iterCount).toString() },
    { name: "msg_controllen", value: u64(bytes, layout.controllen).toString() },
    { name: "msg_flags", value: flagNames(data.getUint32(layout.flags, true), MSG_FLAGS) },
  ];
}

/** A `struct kvec`'s bytes → iov_base, iov_len. */
export function decodeKvec(bytes: Uint8Array, layout: CallStructLayouts["kvec"]) {
  return [
    { name: "iov_base", value: pointerText(u64(bytes, layout.base)) },
    { name: "iov_len", value: u64(bytes, layout.len).toString() },
  ];
}

/** A NUL-terminated C string's bytes, quoted. */
function cString(bytes: Uint8Array): string {
  const end = bytes.indexOf(0);
  const text = Array.from(end < 0 ? bytes : bytes.subarray(0, end), (b) =>
    b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : `\\x${b.toString(16).padStart(2, "0")}`,
  ).join("");
  return `"${text}${end < 0 ? "…" : ""}"`;
}

/** How many bytes of memory each pointer kind shows (none: the pointer alone). */
export function memoryToRead(param: Param, layouts: CallStructLayouts): number {
  switch (param.kind) {
    case "socket":
      return layouts.socket.size;
    case "socketOut":
      return 8;
    case "sockaddr":
      return layouts.sockaddrIn.size;
    case "msghdr":
      return layouts.msghdr.size;
    case "kvec":
      return layouts.kvec.size;
    case "string":
      return 32;
    case "net":
    case "int":
    case "family":
    case "sockType":
    case "protocol":
    case "size":
    case "msgFlags":
    case "fileFlags":
    case "shutdown":
    case "bool":
    case "pointer":
      return 0;
    default:
      return param.kind satisfies never;
  }
}

/** One argument, named and typed by its parameter, its value decoded from what was read. */
export function decodeArgument(
  param: Param,
  reading: ArgumentReading,
  layouts: CallStructLayouts,
  symbolAt: SymbolAt,
): CallArgument {
  const { word, memory } = reading;
  const int = Number(BigInt.asIntN(32, word));
  const base = { name: param.name, type: param.type };
  const pointer = pointerText(word);
  const fields = (decode: (bytes: Uint8Array) => { name: string; value: string }[]) =>
    memory && word !== 0n ? { fields: decode(memory) } : {};
  switch (param.kind) {
    case "int":
      return { ...base, value: String(int) };
    case "family":
      return { ...base, value: nameOf(int, ADDRESS_FAMILIES) };
    case "sockType":
      return { ...base, value: nameOf(int, SOCKET_TYPES) };
    case "protocol":
      return { ...base, value: nameOf(int, IP_PROTOCOLS) };
    case "shutdown":
      return { ...base, value: nameOf(int, SHUTDOWN_COMMANDS) };
    case "msgFlags":
      return { ...base, value: flagNames(int >>> 0, MSG_FLAGS) };
    case "fileFlags":
      return { ...base, value: flagNames(int >>> 0, FILE_FLAGS) };
    case "size":
      return { ...base, value: BigInt.asUintN(64, word).toString() };
    case "bool":
      return { ...base, value: (word & 0xffn) === 0n ? "false" : "true" };
    case "net":
    case "pointer": {
      const symbol = word === 0n ? undefined : symbolAt(word);
      return { ...base, value: symbol ? `&${symbol}` : pointer };
    }
    case "socket":
      return { ...base, value: pointer, ...fields((b) => decodeSocketFields(b, layouts.socket, symbolAt)) };
    case "socketOut":
      return {
        ...base,
        value: pointer,
        ...fields((b) => [{ name: `*${param.name}`, value: pointerText(u64(b, 0)) }]),
      };
    case "sockaddr":
      return { ...base, value: pointer, ...fields((b) => decodeSockaddrIn(b, layouts.sockaddrIn)) };
    case "msghdr":
      return { ...base, value: pointer, ...fields((b) => decodeMsghdr(b, layouts.msghdr)) };
    case "kvec":
      return { ...base, value: pointer, ...fields((b) => decodeKvec(b, layouts.kvec)) };
    case "string":
      return { ...base, value: memory && word !== 0n ? cString(memory) : pointer };
    default:
      return param.kind satisfies never;
  }
}
