import type { KernelLayout } from "./kernelLayout.ts";

/** What a `struct socket` holds, read from guest memory while the VM is paused. */
export type KernelSocket = {
  /** The pointer, in hex ("0" for NULL: then nothing else is read). */
  address: string;
  state?: string;
  type?: string;
  /** `ops` as the symbol it points to (inet_stream_ops), its address when no symbol matches, null for NULL. */
  ops?: string | null;
  /** Whether the socket has its `struct sock` (the protocol's half). */
  sk?: boolean;
};

/** enum socket_state, include/uapi/linux/net.h (values are ABI). */
const SOCKET_STATES = ["SS_FREE", "SS_UNCONNECTED", "SS_CONNECTING", "SS_CONNECTED", "SS_DISCONNECTING"];
/** enum sock_type, include/linux/net.h (x86: the generic numbering). */
const SOCKET_TYPES: Record<number, string> = {
  1: "SOCK_STREAM",
  2: "SOCK_DGRAM",
  3: "SOCK_RAW",
  4: "SOCK_RDM",
  5: "SOCK_SEQPACKET",
  6: "SOCK_DCCP",
  10: "SOCK_PACKET",
};

/** Decodes the bytes of a `struct socket` by the layout the guest kernel's headers give. */
export function decodeSocket(
  address: bigint,
  bytes: Buffer,
  layout: KernelLayout["socket"],
  symbolAt: (address: bigint) => string | undefined,
): KernelSocket {
  const state = bytes.readInt32LE(layout.state);
  const type = bytes.readInt16LE(layout.type);
  const ops = bytes.readBigUInt64LE(layout.ops);
  const sk = bytes.readBigUInt64LE(layout.sk);
  return {
    address: address.toString(16),
    state: SOCKET_STATES[state] ?? String(state),
    type: SOCKET_TYPES[type] ?? String(type),
    ops: ops === 0n ? null : (symbolAt(ops) ?? ops.toString(16)),
    sk: sk !== 0n,
  };
}
