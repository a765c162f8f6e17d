import { describe, expect, it } from "vitest";
import { decodeLayout } from "../server/realKernel/gdb/kernelLayout.ts";
import { type KoImage, LoadedModule, parseKo } from "../server/realKernel/gdb/moduleImage.ts";
import { decodeSocket } from "../server/realKernel/gdb/socketView.ts";
import { stepCallSites } from "../server/realKernel/gdb/stepCallSites.ts";

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
      new BigUint64Array([24n, 544n, 56n, 0n, 8n, 16n, 0n, 4n, 8n, 24n, 32n, 128n, 250n, 4294892296n]).buffer,
    ),
  );

  it("decodes the layout probe's numbers in the order the probe wrote them", () => {
    expect(layout.socket).toEqual({ state: 0, type: 4, flags: 8, sk: 24, ops: 32, size: 128 });
    expect(layout.module).toEqual({ name: 24, kallsyms: 544, nameLength: 56 });
    expect(layout.hz).toBe(250);
    expect(layout.initialJiffies).toBe(4294892296n);
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

/**
 * A relocatable ELF64 as kbuild leaves a .ko, made byte by byte: .text holds `push %rbp`, a call of
 * sock_create_kern, a retpoline call through rax, a call of _printk and a rip-relative load of
 * jiffies (a PC32 relocation that is not a call), each relocation naming its symbol.
 */
function tinyKo(): Buffer {
  const text = Buffer.from([
    0x55, 0xe8, 0, 0, 0, 0, 0xe8, 0, 0, 0, 0, 0xe8, 0, 0, 0, 0, 0x48, 0x8b, 0x05, 0, 0, 0, 0, 0xc3,
  ]);
  const strtab = Buffer.from("\0init_module\0sock_create_kern\0__x86_indirect_thunk_rax\0_printk\0jiffies\0");
  const name = (s: string) => strtab.indexOf(`\0${s}\0`) + 1;
  const symbols: Array<[number, number, number, bigint, bigint]> = [
    // name, info (type | bind << 4), section, value, size
    [0, 0, 0, 0n, 0n],
    [0, 3, 1, 0n, 0n],
    [name("init_module"), 0x12, 1, 0n, BigInt(text.length)],
    [name("sock_create_kern"), 0x10, 0, 0n, 0n],
    [name("__x86_indirect_thunk_rax"), 0x10, 0, 0n, 0n],
    [name("_printk"), 0x10, 0, 0n, 0n],
    [name("jiffies"), 0x10, 0, 0n, 0n],
  ];
  const symtab = Buffer.alloc(symbols.length * 24);
  symbols.forEach(([n, info, section, value, size], i) => {
    symtab.writeUInt32LE(n, i * 24);
    symtab[i * 24 + 4] = info;
    symtab.writeUInt16LE(section, i * 24 + 6);
    symtab.writeBigUInt64LE(value, i * 24 + 8);
    symtab.writeBigUInt64LE(size, i * 24 + 16);
  });
  // R_X86_64_PLT32 = 4, R_X86_64_PC32 = 2; r_offset is the operand, after the opcode byte.
  const relocations: Array<[number, number, number]> = [
    [2, 3, 4],
    [7, 4, 4],
    [12, 5, 4],
    [19, 6, 2],
  ];
  const rela = Buffer.alloc(relocations.length * 24);
  relocations.forEach(([offset, symbol, type], i) => {
    rela.writeBigUInt64LE(BigInt(offset), i * 24);
    rela.writeBigUInt64LE((BigInt(symbol) << 32n) | BigInt(type), i * 24 + 8);
    rela.writeBigInt64LE(-4n, i * 24 + 16);
  });
  const shstrtab = Buffer.from("\0.text\0.rela.text\0.symtab\0.strtab\0.shstrtab\0");
  const sectionName = (s: string) => shstrtab.indexOf(`\0${s}\0`) + 1;
  // [name, type, flags, data, link, info, entsize]
  const sections: Array<[number, number, bigint, Buffer, number, number, number]> = [
    [0, 0, 0n, Buffer.alloc(0), 0, 0, 0],
    [sectionName(".text"), 1, 0x6n, text, 0, 0, 0],
    [sectionName(".rela.text"), 4, 0x40n, rela, 3, 1, 24],
    [sectionName(".symtab"), 2, 0n, symtab, 4, 2, 24],
    [sectionName(".strtab"), 3, 0n, strtab, 0, 0, 0],
    [sectionName(".shstrtab"), 3, 0n, shstrtab, 0, 0, 0],
  ];
  const parts: Buffer[] = [Buffer.alloc(64)];
  let at = 64;
  const offsets = sections.map(([, , , data]) => {
    const offset = at;
    parts.push(data);
    at += data.length;
    return offset;
  });
  const headers = Buffer.alloc(sections.length * 64);
  sections.forEach(([n, type, flags, data, link, info, entsize], i) => {
    const h = i * 64;
    headers.writeUInt32LE(n, h);
    headers.writeUInt32LE(type, h + 4);
    headers.writeBigUInt64LE(flags, h + 8);
    headers.writeBigUInt64LE(BigInt(offsets[i] ?? 0), h + 24);
    headers.writeBigUInt64LE(BigInt(data.length), h + 32);
    headers.writeUInt32LE(link, h + 40);
    headers.writeUInt32LE(info, h + 44);
    headers.writeBigUInt64LE(BigInt(entsize), h + 56);
  });
  const elf = parts[0] as Buffer;
  elf.writeUInt32BE(0x7f454c46, 0);
  elf[4] = 2;
  elf[5] = 1;
  elf[6] = 1;
  elf.writeUInt16LE(1, 16);
  elf.writeUInt16LE(62, 18);
  elf.writeBigUInt64LE(BigInt(at), 0x28);
  elf.writeUInt16LE(64, 0x34);
  elf.writeUInt16LE(64, 0x3a);
  elf.writeUInt16LE(sections.length, 0x3c);
  elf.writeUInt16LE(sections.length - 1, 0x3e);
  return Buffer.concat([...parts, headers]);
}

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
