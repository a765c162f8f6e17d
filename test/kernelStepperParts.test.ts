import { describe, expect, it } from "vitest";
import { decodeLayout } from "../server/realKernel/gdb/kernelLayout.ts";
import { type KoImage, LoadedModule, parseKo } from "../server/realKernel/gdb/moduleImage.ts";
import { noOpLength } from "../server/realKernel/gdb/kernelStepper.ts";
import { decodeSocket } from "../server/realKernel/gdb/socketView.ts";
import { stepCallSites } from "../server/realKernel/gdb/stepCallSites.ts";
import { tinyKo } from "./helpers/tinyKo.ts";

/** A .ko as parseKo returns it: section 1 .text (0x100 bytes), 2 .init.text (0x40), 3 .data. */
const image: KoImage = {
  path: "server.ko",
  sections: [
    { name: "", size: 0, executable: false },
    { name: ".text", size: 0x100, executable: true },
    { name: ".init.text", size: 0x40, executable: true },
    { name: ".data", size: 0x20, executable: false },
  ],
  symbols: [
    { section: 0, value: 0n },
    { section: 1, value: 0x10n },
    { section: 2, value: 0n },
    { section: 3, value: 0x8n },
  ],
};

describe("the stepper's reading of a loaded module", () => {
  it("finds each code section's load address from the guest's copy of the symbol table", () => {
    const loaded = new LoadedModule(image, [
      0n,
      0xffffffffc0001010n,
      0xffffffffc0005000n,
      0xffffffffc0009008n,
    ]);
    expect(loaded.address(1, 0)).toBe(0xffffffffc0001000n);
    expect(loaded.address(1, 0xff)).toBe(0xffffffffc00010ffn);
    expect(loaded.address(2, 0x20)).toBe(0xffffffffc0005020n);
    // Past a section's end, and data, are not the module's code.
    expect(loaded.address(1, 0x100)).toBeUndefined();
    expect(loaded.address(3, 0)).toBeUndefined();
  });

  it("refuses a symbol table of another length: not the module the .ko describes", () => {
    expect(() => new LoadedModule(image, [0n, 1n])).toThrow(/not the same module/);
  });

  it("forgets init code a later module was loaded over", () => {
    const loaded = new LoadedModule(image, [0n, 0xffffffffc0001010n, 0xffffffffc0005000n, 0n]);
    loaded.forgetOverlaps([[0xffffffffc0005010n, 0xffffffffc0006000n]]);
    expect(loaded.address(2, 0x20)).toBeUndefined();
    expect(loaded.address(1, 0)).toBe(0xffffffffc0001000n);
  });
});

describe("the stepper's reading of kernel structures", () => {
  const layout = decodeLayout(
    Buffer.from(
      new BigUint64Array([
        24n,
        544n,
        56n,
        0n,
        8n,
        16n,
        0n,
        4n,
        8n,
        24n,
        32n,
        128n,
        250n,
        4294892296n,
        // sockaddr_in, msghdr, kvec (x86-64, 6.1)
        0n,
        2n,
        4n,
        16n,
        0n,
        8n,
        24n,
        88n,
        96n,
        112n,
        0n,
        8n,
        16n,
      ]).buffer,
    ),
  );

  it("decodes the layout probe's numbers in the order the probe wrote them", () => {
    expect(layout.socket).toEqual({ state: 0, type: 4, flags: 8, sk: 24, ops: 32, size: 128 });
    expect(layout.module).toEqual({ name: 24, kallsyms: 544, nameLength: 56 });
    expect(layout.hz).toBe(250);
    expect(layout.initialJiffies).toBe(4294892296n);
    expect(layout.calls.sockaddrIn).toEqual({ family: 0, port: 2, addr: 4, size: 16 });
    expect(layout.calls.msghdr).toEqual({
      name: 0,
      namelen: 8,
      iterCount: 24,
      controllen: 88,
      flags: 96,
      size: 112,
    });
    expect(layout.calls.kvec).toEqual({ base: 0, len: 8, size: 16 });
    expect(() => decodeLayout(Buffer.alloc(8))).toThrow(/holds 8 bytes/);
  });

  it("shows a struct socket's state, type, ops by symbol and whether sk is set", () => {
    const bytes = Buffer.alloc(128);
    bytes.writeInt32LE(3, 0);
    bytes.writeInt16LE(1, 4);
    bytes.writeBigUInt64LE(0xffff888004026000n, 24);
    bytes.writeBigUInt64LE(0xffffffff821083c0n, 32);
    const symbols = new Map([[0xffffffff821083c0n, "inet_stream_ops"]]);
    expect(decodeSocket(0xffff888004026700n, bytes, layout.socket, (a) => symbols.get(a))).toEqual({
      address: "ffff888004026700",
      state: "SS_CONNECTED",
      type: "SOCK_STREAM",
      ops: "inet_stream_ops",
      sk: true,
    });
  });

  it("shows the published client_sock as the kernel holds it: zeroed by kmalloc, ops NULL", () => {
    const bytes = Buffer.alloc(128);
    bytes.writeInt32LE(3, 0);
    bytes.writeBigUInt64LE(0xffff888005000000n, 24);
    expect(decodeSocket(0xffff8880054d3100n, bytes, layout.socket, () => undefined)).toMatchObject({
      type: "0",
      ops: null,
      sk: true,
    });
  });
});

describe("the stepper's call sites, from a .ko's relocations and line table", () => {
  const ko = parseKo("tiny.ko", tinyKo());
  // Where the guest put .text: the guest's copy of the symbol table, each value moved by the base.
  const base = 0xffffffffc0201000n;
  const loadedAt = (image: KoImage) =>
    new LoadedModule(
      image,
      image.symbols.map((s) => (s.section === 1 ? base + s.value : s.value)),
    );
  // The listing line of each byte of init_module: the push on 10, the calls on 11, 12, 13, the load on 14.
  const lines = {
    init_module: [
      10, 11, 11, 11, 11, 11, 12, 12, 12, 12, 12, 13, 13, 13, 13, 13, 14, 14, 14, 14, 14, 14, 14, 15,
    ],
  };

  it("reads each call instruction and whom its relocation names, and no other relocated bytes", () => {
    expect(ko.calls).toEqual([
      { section: 1, offset: 1, target: "sock_create_kern" },
      { section: 1, offset: 6, target: "__x86_indirect_thunk_rax" },
      { section: 1, offset: 11, target: "_printk" },
    ]);
    expect(ko.symbols[2]).toMatchObject({ name: "init_module", section: 1, functionSize: 24 });
  });

  it("puts a site on each step function's call and each indirect call, where the guest loaded them", () => {
    const sites = stepCallSites(loadedAt(ko), lines, new Set(["sock_create_kern"]), () => true);
    expect(sites).toEqual([
      { at: base + 1n, returnsTo: base + 6n, cLine: 11, callee: { function: "sock_create_kern" } },
      { at: base + 6n, returnsTo: base + 11n, cLine: 12, callee: { register: "rax" } },
    ]);
  });

  it("leaves out calls on lines that are not steps, and code the guest has freed", () => {
    expect(
      stepCallSites(loadedAt(ko), lines, new Set(["sock_create_kern"]), (line) => line !== 12).map(
        (s) => s.cLine,
      ),
    ).toEqual([11]);
    const freed = loadedAt(ko);
    freed.forgetOverlaps([[base, base + 0x100n]]);
    expect(stepCallSites(freed, lines, new Set(["sock_create_kern"]), () => true)).toEqual([]);
  });
});

describe("the stepper's way past do_init_module's breakpoint", () => {
  it("skips the endbr64 and ftrace's patched-out call a kernel function starts with, and nothing else", () => {
    // do_init_module on Debian's 6.1: endbr64, nopl 0x0(%rax,%rax,1), then push %r15.
    const start = Buffer.from([0xf3, 0x0f, 0x1e, 0xfa, 0x0f, 0x1f, 0x44, 0x00, 0x00, 0x41, 0x57]);
    expect(noOpLength(start, 0)).toBe(4);
    expect(noOpLength(start, 4)).toBe(5);
    expect(noOpLength(start, 9)).toBe(0);
    // A call to __fentry__ still in place (tracing on) is a real instruction: the guest steps off instead.
    expect(noOpLength(Buffer.from([0xe8, 0, 0, 0, 0]), 0)).toBe(0);
  });
});
