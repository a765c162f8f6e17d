import {
  type ArgumentReading,
  type CallStructLayouts,
  decodeArgument,
  memoryToRead,
  type SymbolAt,
} from "../../../shared/kernelCalls/argumentDecoding.ts";
import { type CallSignature, callSignature } from "../../../shared/kernelCalls/callSignatures.ts";
import type { CallFrame } from "../../../shared/protocol/callFrame.ts";
import type { X86Registers } from "./rspClient.ts";

/** The x86-64 SysV ABI's integer argument registers, in order. */
export const ARGUMENT_REGISTERS = ["rdi", "rsi", "rdx", "rcx", "r8", "r9"] as const;

export type MemoryReader = {
  readMemory(at: bigint, length: number): Promise<Buffer>;
  /** false: close ranges are not read as one span (a snapshot holds only the ranges it copied). */
  readonly mergesReads?: boolean;
};

/** Two reads this close (bytes) become one `m` packet: a caller's locals (msghdr, kvec, sockaddr_in) sit together on its stack. */
const MERGE_GAP = 256;
/** No span is read larger than this (the stub's packet holds ~2 KiB of hex). */
const MAX_SPAN = 1024;

/**
 * Reads several guest ranges in as few `m` round trips as possible: ranges that lie close together
 * (the caller's stack frame) are read as one span, each then cut out of it. A range the guest
 * cannot read (a bad pointer: the stub answers E14) comes back undefined; nothing throws.
 */
export async function readRanges(
  client: MemoryReader,
  ranges: readonly { at: bigint; length: number }[],
): Promise<(Uint8Array | undefined)[]> {
  const order = ranges.map((r, i) => ({ ...r, i })).sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
  const spans: { at: bigint; end: bigint; members: typeof order }[] = [];
  for (const range of order) {
    const end = range.at + BigInt(range.length);
    const last = spans.at(-1);
    if (
      last &&
      client.mergesReads !== false &&
      range.at <= last.end + BigInt(MERGE_GAP) &&
      end - last.at <= BigInt(MAX_SPAN)
    ) {
      if (end > last.end) last.end = end;
      last.members.push(range);
    } else spans.push({ at: range.at, end, members: [range] });
  }
  const out: (Uint8Array | undefined)[] = ranges.map(() => undefined);
  // Asked for together: the client writes them in one go and the stub answers in order, one
  // round trip for all the spans instead of one each.
  const read = await Promise.all(
    spans.map((span) => client.readMemory(span.at, Number(span.end - span.at)).catch(() => undefined)),
  );
  spans.forEach((span, i) => {
    const bytes = read[i];
    for (const member of span.members) {
      const from = Number(member.at - span.at);
      out[member.i] = bytes?.subarray(from, from + member.length);
    }
  });
  return out;
}

/** What the stepper keeps of a call's entry to read its frame again at the return. */
export type FrameAtEntry = {
  signature: CallSignature;
  words: bigint[];
  frame: CallFrame;
  /** What was read for each argument (the stepper takes the kvec's buffer from here, not from another read). */
  readings: ArgumentReading[];
};

/** Argument kinds a call can change through its pointer: read again once it has returned. */
const CHANGED_BY_CALL = new Set(["socket", "socketOut", "msghdr"]);

async function readArguments(
  client: MemoryReader,
  signature: CallSignature,
  words: readonly bigint[],
  layouts: CallStructLayouts,
  symbolAt: SymbolAt,
  only?: (index: number) => boolean,
) {
  const wanted = signature.params
    .map((param, index) => ({ index, at: words[index] ?? 0n, length: memoryToRead(param, layouts) }))
    .filter((r) => r.length > 0 && r.at !== 0n && (only?.(r.index) ?? true));
  const memory = await readRanges(client, wanted);
  const readings: ArgumentReading[] = words.map((word) => ({ word }));
  wanted.forEach((r, i) => {
    const bytes = memory[i];
    if (bytes && readings[r.index]) readings[r.index] = { word: r.at, memory: bytes };
  });
  const args = signature.params.map((param, index) =>
    decodeArgument(param, readings[index] ?? { word: 0n }, layouts, symbolAt),
  );
  return { args, readings };
}

/**
 * The call view's frame at a call site: the arguments from the registers the SysV ABI passes them
 * in, and what each pointer points to from guest memory (one `m` packet per cluster of ranges).
 */
export async function readCallFrame(
  client: MemoryReader,
  fn: string,
  series: string,
  registers: X86Registers,
  layouts: CallStructLayouts,
  symbolAt: SymbolAt,
): Promise<FrameAtEntry | undefined> {
  const signature = callSignature(fn, series);
  if (!signature) return undefined;
  const words = ARGUMENT_REGISTERS.slice(0, signature.params.length).map((r) => registers[r]);
  const { args, readings } = await readArguments(client, signature, words, layouts, symbolAt);
  const frame: CallFrame = {
    source: "guest-memory",
    function: fn,
    release: series,
    returns: signature.returns,
    args,
  };
  return { signature, words, frame, readings };
}

/**
 * The frame once the call has returned: the registers are the callee's by now, so the entry's
 * argument words are used again, and only what the call can change (the socket, *res, the msghdr)
 * is read again; the rest is the entry's.
 */
export async function readFrameAfter(
  client: MemoryReader,
  entry: FrameAtEntry,
  layouts: CallStructLayouts,
  symbolAt: SymbolAt,
): Promise<CallFrame> {
  const changed = (index: number) => CHANGED_BY_CALL.has(entry.signature.params[index]?.kind ?? "");
  if (!entry.signature.params.some((_, i) => changed(i))) return entry.frame;
  const { args: after } = await readArguments(
    client,
    entry.signature,
    entry.words,
    layouts,
    symbolAt,
    changed,
  );
  return { ...entry.frame, args: entry.frame.args.map((arg, i) => (changed(i) ? (after[i] ?? arg) : arg)) };
}

/** The kvec argument's buffer (iov_base, iov_len), from the bytes the frame read already. */
export function kvecBuffer(
  entry: FrameAtEntry | undefined,
  layout: CallStructLayouts["kvec"],
): { at: bigint; size: number } | undefined {
  const index = entry?.signature.params.findIndex((p) => p.kind === "kvec") ?? -1;
  const memory = index >= 0 ? entry?.readings[index]?.memory : undefined;
  if (!memory || memory.length < layout.size) return undefined;
  const view = new DataView(memory.buffer, memory.byteOffset, memory.byteLength);
  return { at: view.getBigUint64(layout.base, true), size: Number(view.getBigUint64(layout.len, true)) };
}
