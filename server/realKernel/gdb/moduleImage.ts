import { readFileSync } from "node:fs";

/**
 * A lab module's .ko (ELF64, relocatable) as the stepper needs it: its sections (name, size,
 * executable?), its symbol table and the calls its code makes by name. The kernel keeps a copy of
 * the symbol table while the module's init runs (`mod->kallsyms`), each entry's st_value moved by
 * where its section was loaded, so entry i of the copy against entry i here gives every section's
 * load address. A call's target is not in the code yet (`e8 00 00 00 00`): its relocation names it.
 */
export type KoSection = { name: string; size: number; executable: boolean };
export type KoSymbol = {
  value: bigint;
  section: number;
  /** From the string table; "" for sections' and files' own entries. */
  name?: string;
  /** STT_FUNC with a size: a function (gcc's `.cold` parts are functions of their own). */
  functionSize?: number;
};
/** A `call rel32` in the module's code: the instruction's offset in its section and whom it calls. */
export type KoCall = { section: number; offset: number; target: string };
export type KoImage = { path: string; sections: KoSection[]; symbols: KoSymbol[]; calls?: KoCall[] };

const SHT_SYMTAB = 2;
const SHT_RELA = 4;
const SHF_ALLOC = 0x2n;
const SHF_EXECINSTR = 0x4n;
const STT_FUNC = 2;
const R_X86_64_PC32 = 2;
const R_X86_64_PLT32 = 4;
const CALL_REL32 = 0xe8;
/** Section indexes from 0xff00 up are special (absolute, common, …), not sections. */
const SHN_LORESERVE = 0xff00;
export const ELF64_SYM_SIZE = 24;
const ELF64_RELA_SIZE = 24;
/** A `call rel32` is 5 bytes; a retpoline thunk call the kernel rewrites at load keeps its 5 (NOP-padded). */
export const CALL_LENGTH = 5;

function cString(bytes: Buffer, at: number): string {
  const end = bytes.indexOf(0, at);
  return bytes.toString("latin1", at, end < 0 ? bytes.length : end);
}

export function parseKo(path: string, bytes: Buffer = readFileSync(path)): KoImage {
  if (bytes.readUInt32BE(0) !== 0x7f454c46 || bytes[4] !== 2 || bytes[5] !== 1)
    throw new Error(`${path} is not a little-endian ELF64 file`);
  const shoff = Number(bytes.readBigUInt64LE(0x28));
  const shentsize = bytes.readUInt16LE(0x3a);
  const shnum = bytes.readUInt16LE(0x3c);
  const shstrndx = bytes.readUInt16LE(0x3e);
  const header = (i: number) => {
    const at = shoff + i * shentsize;
    return {
      name: bytes.readUInt32LE(at),
      type: bytes.readUInt32LE(at + 4),
      flags: bytes.readBigUInt64LE(at + 8),
      offset: Number(bytes.readBigUInt64LE(at + 24)),
      size: Number(bytes.readBigUInt64LE(at + 32)),
      link: bytes.readUInt32LE(at + 40),
      info: bytes.readUInt32LE(at + 44),
    };
  };
  const headers = Array.from({ length: shnum }, (_, i) => header(i));
  const names = headers[shstrndx];
  if (!names) throw new Error(`${path} has no section name table`);
  const sections: KoSection[] = headers.map((h) => ({
    name: cString(bytes, names.offset + h.name),
    size: h.size,
    executable: (h.flags & (SHF_ALLOC | SHF_EXECINSTR)) === (SHF_ALLOC | SHF_EXECINSTR),
  }));
  let symbols: KoSymbol[] = [];
  for (const h of headers) {
    if (h.type !== SHT_SYMTAB) continue;
    const strings = headers[h.link];
    symbols = [];
    for (let at = h.offset; at + ELF64_SYM_SIZE <= h.offset + h.size; at += ELF64_SYM_SIZE) {
      const size = Number(bytes.readBigUInt64LE(at + 16));
      const isFunction = (bytes[at + 4] as number) % 16 === STT_FUNC && size > 0;
      symbols.push({
        section: bytes.readUInt16LE(at + 6),
        value: bytes.readBigUInt64LE(at + 8),
        name: strings ? cString(bytes, strings.offset + bytes.readUInt32LE(at)) : "",
        ...(isFunction ? { functionSize: size } : {}),
      });
    }
  }
  const calls: KoCall[] = [];
  for (const h of headers) {
    const code = headers[h.info];
    if (h.type !== SHT_RELA || !code || !sections[h.info]?.executable) continue;
    for (let at = h.offset; at + ELF64_RELA_SIZE <= h.offset + h.size; at += ELF64_RELA_SIZE) {
      const where = Number(bytes.readBigUInt64LE(at));
      const info = bytes.readBigUInt64LE(at + 8);
      const type = Number(info & 0xffffffffn);
      if (type !== R_X86_64_PLT32 && type !== R_X86_64_PC32) continue;
      // The 4 bytes relocated must be a call's operand: the opcode byte before them.
      if (where < 1 || bytes[code.offset + where - 1] !== CALL_REL32) continue;
      const target = symbols[Number(info >> 32n)]?.name;
      if (target) calls.push({ section: h.info, offset: where - 1, target });
    }
  }
  return { path, sections, symbols, calls };
}

/** One module as loaded in the guest: where each of its executable sections begins. */
export class LoadedModule {
  private readonly bases = new Map<number, bigint>();

  /** `loaded` holds the st_value of each entry of the guest's copy of the symbol table. */
  constructor(
    readonly image: KoImage,
    loaded: readonly bigint[],
  ) {
    if (loaded.length !== image.symbols.length)
      throw new Error(
        `the guest's symbol table has ${loaded.length} entries, ${image.path} has ${image.symbols.length}: not the same module`,
      );
    image.symbols.forEach((symbol, i) => {
      const at = loaded[i];
      if (at === undefined || symbol.section === 0 || symbol.section >= SHN_LORESERVE) return;
      if (!image.sections[symbol.section]?.executable || this.bases.has(symbol.section)) return;
      this.bases.set(symbol.section, at - symbol.value);
    });
  }

  /** Where this module's code lies now: [start, end) per executable section. */
  ranges(): Array<[bigint, bigint]> {
    return [...this.bases].map(([index, base]) => [
      base,
      base + BigInt(this.image.sections[index]?.size ?? 0),
    ]);
  }

  /**
   * Drops the sections that overlap another module's code: a module's init sections are freed
   * when its init returns, and a module loaded later may be placed in that memory.
   */
  forgetOverlaps(ranges: Array<[bigint, bigint]>): void {
    for (const [index, base] of [...this.bases]) {
      const end = base + BigInt(this.image.sections[index]?.size ?? 0);
      if (ranges.some(([start, stop]) => base < stop && start < end)) this.bases.delete(index);
    }
  }

  /** Where the code at `offset` in section `index` is now, or undefined when that section is not (or no longer) loaded. */
  address(index: number, offset: number): bigint | undefined {
    const base = this.bases.get(index);
    const size = this.image.sections[index]?.size ?? 0;
    if (base === undefined || offset < 0 || offset >= size) return undefined;
    return base + BigInt(offset);
  }
}
