import { SOCKET_STATES, SOCKET_TYPES } from "../../../shared/kernelCalls/kernelConstants.ts";
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
