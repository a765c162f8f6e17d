import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type CallStructLayouts,
  decodeArgument,
  decodeKvec,
  decodeMsghdr,
  decodeSockaddrIn,
  decodeSocketFields,
} from "../shared/kernelCalls/argumentDecoding.ts";
import { callSignature, declarationText, stepFunction } from "../shared/kernelCalls/callSignatures.ts";
import { KERNEL_SYMBOLS } from "../shared/content/kernelSymbols.ts";
import { FILE_FLAGS, flagNames, MSG_FLAGS } from "../shared/kernelCalls/kernelConstants.ts";
import {
  kvecBuffer,
  type MemoryReader,
  readCallFrame,
  readFrameAfter,
  readRanges,
} from "../server/realKernel/gdb/callFrameReader.ts";
import type { X86Registers } from "../server/realKernel/gdb/rspClient.ts";
import { errnoName } from "../server/lab/errno.ts";
import { ServerEventSchema } from "../shared/protocol/messages.ts";
import { readRunFile, writeRunFile } from "../shared/protocol/runFile.ts";
import { C_CALL_MARKERS, type StepId, VARIANTS } from "../shared/protocol/steps.ts";

/** x86-64 Linux 6.1's layouts, as the layout probe reads them from a Debian 12 build. */
const layouts: CallStructLayouts = {
  socket: { state: 0, type: 4, sk: 24, ops: 32, size: 128 },
  sockaddrIn: { family: 0, port: 2, addr: 4, size: 16 },
  msghdr: { name: 0, namelen: 8, iterCount: 24, controllen: 88, flags: 96, size: 112 },
  kvec: { base: 0, len: 8, size: 16 },
};
const symbols = new Map([[0xffffffff821083c0n, "inet_stream_ops"]]);
const symbolAt = (at: bigint) => symbols.get(at);

function sockaddrIn(port: number, address: readonly number[]): Uint8Array {
  const bytes = new Uint8Array(16);
  const view = new DataView(bytes.buffer);
  view.setUint16(0, 2, true);
  view.setUint16(2, port, false);
  bytes.set(address, 4);
  return bytes;
}

describe("decoding a call's structs from their bytes", () => {
  it("reads sockaddr_in's port and address in network byte order", () => {
    expect(decodeSockaddrIn(sockaddrIn(0x8888, [127, 0, 0, 1]), layouts.sockaddrIn)).toEqual([
      { name: "sin_family", value: "AF_INET" },
      { name: "sin_port", value: "htons(34952) = 0x8888" },
      { name: "sin_addr", value: "127.0.0.1" },
    ]);
  });

  it("reads any port and IPv4 address back as it was written (property)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 0xffff }),
        fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 4, maxLength: 4 }),
        (port, addr) => {
          const fields = decodeSockaddrIn(sockaddrIn(port, addr), layouts.sockaddrIn);
          expect(fields[1]?.value).toBe(`htons(${port}) = 0x${port.toString(16)}`);
          expect(fields[2]?.value).toBe(addr.join("."));
        },
      ),
    );
  });

  it("names a struct socket's state, type and ops, and gives sk's pointer", () => {
    const bytes = new Uint8Array(128);
    const view = new DataView(bytes.buffer);
    view.setInt32(0, 3, true);
    view.setInt16(4, 1, true);
    view.setBigUint64(24, 0xffff888004026000n, true);
    view.setBigUint64(32, 0xffffffff821083c0n, true);
    expect(decodeSocketFields(bytes, layouts.socket, symbolAt)).toEqual([
      { name: "state", value: "SS_CONNECTED" },
      { name: "type", value: "SOCK_STREAM" },
      { name: "ops", value: "&inet_stream_ops" },
      { name: "sk", value: "0xffff888004026000" },
    ]);
  });

  it("reads a kvec's base and length, and a msghdr's members with its flags by name", () => {
    const vec = new Uint8Array(16);
    new DataView(vec.buffer).setBigUint64(0, 0xffff888003a1c000n, true);
    new DataView(vec.buffer).setBigUint64(8, 1024n, true);
    expect(decodeKvec(vec, layouts.kvec)).toEqual([
      { name: "iov_base", value: "0xffff888003a1c000" },
      { name: "iov_len", value: "1024" },
    ]);
    const msg = new Uint8Array(112);
    new DataView(msg.buffer).setBigUint64(24, 1024n, true);
    new DataView(msg.buffer).setUint32(96, 0x40, true);
    expect(decodeMsghdr(msg, layouts.msghdr)).toEqual([
      { name: "msg_name", value: "NULL" },
      { name: "msg_namelen", value: "0" },
      { name: "msg_iter.count", value: "1024" },
      { name: "msg_controllen", value: "0" },
      { name: "msg_flags", value: "MSG_DONTWAIT" },
    ]);
  });
});

describe("flags and errno by name", () => {
  it("names each MSG_ bit, keeps unknown bits in hex and shows 0 as 0", () => {
    expect(flagNames(0, MSG_FLAGS)).toBe("0");
    expect(flagNames(0x2 | 0x100, MSG_FLAGS)).toBe("MSG_PEEK|MSG_WAITALL");
    expect(flagNames(0x40 | 0x80000000, MSG_FLAGS)).toBe("MSG_DONTWAIT|0x80000000");
    expect(flagNames(0o4000, FILE_FLAGS)).toBe("O_NONBLOCK");
  });

  it("loses no bit: the names' values and the hex rest add back up to the flags (property)", () => {
    const value = new Map(MSG_FLAGS.map(([bit, name]) => [name, bit]));
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffffffff }), (flags) => {
        const sum = flagNames(flags, MSG_FLAGS)
          .split("|")
          .reduce((acc, part) => (acc | (value.get(part) ?? Number(part))) >>> 0, 0);
        expect(sum).toBe(flags >>> 0);
      }),
    );
  });

  it("names the errnos the lab's calls return", () => {
    expect(errnoName(-111)).toBe("ECONNREFUSED");
    expect(errnoName(-98)).toBe("EADDRINUSE");
    expect(errnoName(-11)).toBe("EAGAIN");
  });
});

describe("a call's frame by its signature on the release", () => {
  it("knows a signature for every kernel function a listing step calls", () => {
    for (const variant of VARIANTS)
      for (const steps of Object.values(C_CALL_MARKERS[variant]))
        for (const step of Object.keys(steps) as StepId[])
          expect(callSignature(stepFunction(variant, step), "6.1"), `${variant} ${step}`).toBeDefined();
  });

  it("declares each kernel_* function as the lab's cited net.h declarations do", () => {
    let compared = 0;
    for (const symbol of KERNEL_SYMBOLS) {
      const signature = callSignature(symbol.symbol, "6.1");
      if (!signature || !symbol.signature6x) continue;
      expect(`${declarationText(signature.function, signature.returns, signature.params)};`).toBe(
        symbol.signature6x,
      );
      compared++;
    }
    expect(compared).toBeGreaterThanOrEqual(9);
  });

  it("names inet_accept's arguments by the release: flags and kern on 6.1, a proto_accept_arg from 6.10", () => {
    expect(callSignature("inet_accept", "6.1")?.params.map((p) => p.name)).toEqual([
      "sock",
      "newsock",
      "flags",
      "kern",
    ]);
    expect(callSignature("inet_accept", "6.12")?.params.map((p) => p.name)).toEqual([
      "sock",
      "newsock",
      "arg",
    ]);
  });

  it("reads kernel_recvmsg's arguments from rdi…r9 and the structs from memory, in few reads", async () => {
    const SOCK = 0xffff888004011040n;
    const MSG = 0xffffc900005b3d00n;
    const VEC = 0xffffc900005b3d70n;
    const memory = new Map<bigint, Uint8Array>();
    const socket = new Uint8Array(128);
    new DataView(socket.buffer).setInt32(0, 3, true);
    new DataView(socket.buffer).setInt16(4, 1, true);
    new DataView(socket.buffer).setBigUint64(32, 0xffffffff821083c0n, true);
    memory.set(SOCK, socket);
    const stack = new Uint8Array(0x100);
    new DataView(stack.buffer).setBigUint64(0x70, 0xffff888003a1c000n, true);
    new DataView(stack.buffer).setBigUint64(0x78, 1024n, true);
    memory.set(MSG, stack);
    const reads: string[] = [];
    const client: MemoryReader = {
      async readMemory(at, length) {
        reads.push(`${at.toString(16)},${length}`);
        for (const [base, bytes] of memory)
          if (at >= base && at + BigInt(length) <= base + BigInt(bytes.length))
            return Buffer.from(bytes.subarray(Number(at - base), Number(at - base) + length));
        throw new Error("E14");
      },
    };
    const registers = { rdi: SOCK, rsi: MSG, rdx: VEC, rcx: 1n, r8: 1024n, r9: 0n } as X86Registers;
    const entry = await readCallFrame(client, "kernel_recvmsg", "6.1", registers, layouts, symbolAt);
    expect(entry?.frame.source).toBe("guest-memory");
    const args = Object.fromEntries((entry?.frame.args ?? []).map((a) => [a.name, a]));
    expect(args.sock?.fields).toContainEqual({ name: "ops", value: "&inet_stream_ops" });
    expect(args.vec?.fields).toEqual([
      { name: "iov_base", value: "0xffff888003a1c000" },
      { name: "iov_len", value: "1024" },
    ]);
    expect(args.len?.value).toBe("1024");
    expect(args.num?.value).toBe("1");
    expect(args.flags?.value).toBe("0");
    // The msghdr and the kvec sit together on the caller's stack: one read for both, one for the socket.
    expect(reads).toHaveLength(2);
    // The stepper's buffer to read at the return comes from those bytes, with no read of its own.
    expect(kvecBuffer(entry, layouts.kvec)).toEqual({ at: 0xffff888003a1c000n, size: 1024 });
    reads.length = 0;
    const after = entry && (await readFrameAfter(client, entry, layouts, symbolAt));
    expect(after?.args.map((a) => a.name)).toEqual(["sock", "msg", "vec", "num", "len", "flags"]);
    // After the call only the socket and the msghdr are read again (the kvec is the caller's, unchanged).
    expect(reads).toHaveLength(2);
  });

  it("asks for every span of a frame before the first answer comes: one round trip to the stub, not one a span", async () => {
    const asked: bigint[] = [];
    const answers: Array<() => void> = [];
    const client: MemoryReader = {
      readMemory: (at, length) => {
        asked.push(at);
        return new Promise((resolve) =>
          answers.push(() => resolve(Buffer.alloc(length, Number(at & 0xffn)))),
        );
      },
    };
    const reading = readRanges(client, [
      { at: 0xffffc90000010000n, length: 112 },
      { at: 0xffff888004000040n, length: 128 },
    ]);
    await new Promise((r) => setTimeout(r, 0));
    expect(asked).toEqual([0xffff888004000040n, 0xffffc90000010000n]);
    for (const answer of answers) answer();
    const [stack, socket] = await reading;
    expect(stack?.[0]).toBe(0x00);
    expect(socket?.[0]).toBe(0x40);
  });

  it("shows a pointer the guest cannot read as the pointer alone, never throwing", async () => {
    const client: MemoryReader = { readMemory: async () => Promise.reject(new Error("E14")) };
    expect(await readRanges(client, [{ at: 0x10n, length: 16 }])).toEqual([undefined]);
    const arg = decodeArgument(
      { name: "sock", type: "struct socket *", kind: "socket" },
      { word: 0x10n },
      layouts,
      symbolAt,
    );
    expect(arg).toEqual({ name: "sock", type: "struct socket *", value: "0x10" });
  });
});

describe("a call frame on the wire and in a run file", () => {
  const step = {
    type: "step",
    seq: 3,
    t: 1.5,
    module: "server",
    variant: "fixed",
    step: "kernel_recvmsg",
    phase: "exit",
    cLine: 44,
    tsLine: 60,
    result: 3,
    data: { base64: "AQEB", length: 3, bufferSize: 1024 },
    call: {
      source: "twin",
      function: "kernel_recvmsg",
      release: "6.1",
      returns: "int",
      args: [
        { name: "len", type: "size_t", value: "1024" },
        { name: "msg", type: "struct msghdr *", value: null },
      ],
    },
  };

  it("validates a step event carrying its frame, and refuses a frame from nowhere", () => {
    expect(ServerEventSchema.safeParse(step).success).toBe(true);
    expect(ServerEventSchema.safeParse({ ...step, call: { ...step.call, source: "guess" } }).success).toBe(
      false,
    );
    expect(
      ServerEventSchema.safeParse({ ...step, call: { ...step.call, args: [{ name: "x" }] } }).success,
    ).toBe(false);
  });

  it("carries the frame through Export run and Open run, and refuses bytes that are not their stated length", () => {
    const run = {
      appVersion: "0.1.0",
      date: "2026-12-07T16:00:00.000Z",
      variant: "fixed" as const,
      engine: "node" as const,
    };
    const text = writeRunFile({ ...run, events: [step as never] });
    const reading = readRunFile(text, text.length);
    expect(reading.ok && reading.run.events[0]).toMatchObject({ call: step.call });
    const lying = writeRunFile({ ...run, events: [{ ...step, data: { ...step.data, length: 4 } } as never] });
    expect(readRunFile(lying, lying.length)).toMatchObject({ ok: false, reason: "malformed" });
    const infinite = text.replace('"t":1.5', '"t":1e999');
    expect(readRunFile(infinite, infinite.length)).toMatchObject({ ok: false, reason: "malformed" });
  });
});
