/**
 * A relocatable ELF64 as kbuild leaves a .ko, made byte by byte: .text holds `push %rbp`, a call of
 * sock_create_kern, a retpoline call through rax, a call of _printk and a rip-relative load of
 * jiffies (a PC32 relocation that is not a call), each relocation naming its symbol.
 */
export function tinyKo(): Buffer {
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
