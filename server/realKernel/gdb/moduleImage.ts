import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";

/**
 * A lab module's .ko (ELF64, relocatable) as the stepper needs it: its sections (name, size,
 * executable?) and its symbol table. The kernel keeps a copy of that table while the module's init
 * runs (`mod->kallsyms`), each entry's st_value moved by where its section was loaded, so entry i
 * of the copy against entry i here gives every section's load address.
 */
export type KoSection = { name: string; size: number; executable: boolean };
export type KoSymbol = { value: bigint; section: number };
export type KoImage = { path: string; sections: KoSection[]; symbols: KoSymbol[] };

const SHT_SYMTAB = 2;
const SHF_ALLOC = 0x2n;
const SHF_EXECINSTR = 0x4n;
/** Section indexes from 0xff00 up are special (absolute, common, …), not sections. */
const SHN_LORESERVE = 0xff00;
export const ELF64_SYM_SIZE = 24;

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
    };
  };
  const names = header(shstrndx);
  const sections: KoSection[] = [];
  let symbols: KoSymbol[] = [];
  for (let i = 0; i < shnum; i++) {
    const h = header(i);
    sections.push({
      name: cString(bytes, names.offset + h.name),
      size: h.size,
      executable: (h.flags & (SHF_ALLOC | SHF_EXECINSTR)) === (SHF_ALLOC | SHF_EXECINSTR),
    });
    if (h.type === SHT_SYMTAB) {
      symbols = [];
      for (let at = h.offset; at + ELF64_SYM_SIZE <= h.offset + h.size; at += ELF64_SYM_SIZE) {
        symbols.push({ section: bytes.readUInt16LE(at + 6), value: bytes.readBigUInt64LE(at + 8) });
      }
    }
  }
  return { path, sections, symbols };
}

export type CodePlace = { section: string; offset: number };

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

  /** The section and offset of a code address of this module, or undefined when it is not its code. */
  locate(address: bigint): CodePlace | undefined {
    for (const [index, base] of this.bases) {
      const section = this.image.sections[index];
      if (!section) continue;
      if (address >= base && address < base + BigInt(section.size))
        return { section: section.name, offset: Number(address - base) };
    }
    return undefined;
  }
}

const lines = new Map<string, Promise<number | undefined>>();

/**
 * The source line of an instruction of the .ko, from its DWARF line table (addr2line reads a
 * relocatable object section by section: `-j .text 0x4a`). Cached: a module's code does not move.
 */
export function sourceLine(koPath: string, place: CodePlace): Promise<number | undefined> {
  const key = `${koPath}\0${place.section}\0${place.offset}`;
  let line = lines.get(key);
  if (!line) {
    line = new Promise((resolve) => {
      execFile(
        "addr2line",
        ["-e", koPath, "-j", place.section, `0x${place.offset.toString(16)}`],
        { timeout: 10_000 },
        (error, stdout) => {
          const match = /:(\d+)(?: \(discriminator \d+\))?\s*$/.exec(stdout.trim());
          resolve(error || !match ? undefined : Number(match[1]));
        },
      );
    });
    lines.set(key, line);
  }
  return line;
}
