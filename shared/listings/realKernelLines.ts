import type { ModuleName } from "../protocol/steps.ts";

/**
 * Maps what a real kernel prints back to the C listing it ran: a printk record to the line whose
 * format literal produced it, and a function named in an oops (RIP, call trace) to the line where
 * the listing defines it. Lines are 1-based.
 */

const PRINTK_CALL =
  /\b(?:printk|pr_(?:emerg|alert|crit|err|warn|warning|notice|info|debug|cont))\s*\(\s*(?:KERN_[A-Z]+\s*)?"((?:[^"\\]|\\.)*)"/g;

/** A conversion of the kernel's vsprintf: flags, width, precision (either may be `*`), length. */
const CONVERSION = /%[-+ #0]*(?:\d+|\*)?(?:\.(?:\d+|\*))?(?:hh|h|ll|l|z|t|j)?[diouxXcsp]/g;

export type PrintkFormat = { cLine: number; format: string; pattern: RegExp; literalLength: number };

function unescapeC(literal: string): string {
  return literal.replace(/\\(.)/g, (_m, c: string) => ({ n: "\n", t: "\t", '"': '"', "\\": "\\" })[c] ?? c);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** Every printk/pr_* format literal of a C listing, with the line it stands on. */
export function printkFormats(cText: string): PrintkFormat[] {
  const formats: PrintkFormat[] = [];
  cText.split("\n").forEach((line, index) => {
    for (const match of line.matchAll(PRINTK_CALL)) {
      const format = unescapeC(match[1] as string);
      // The record loses its trailing newline; a conversion matches any text, newlines included.
      const body = format.replace(/\n$/, "");
      const parts = body.split(CONVERSION);
      const pattern = new RegExp(`^${parts.map(escapeRegExp).join("[\\s\\S]*?")}$`);
      formats.push({ cLine: index + 1, format, pattern, literalLength: parts.join("").length });
    }
  });
  return formats;
}

export type ListingPair = Record<ModuleName, string>;

/**
 * The module and C line that printed a record, or undefined for the kernel's own messages. When
 * several formats match, the one with the most literal text wins (so "%s" alone never steals a line).
 */
export function matchPrintk(
  text: string,
  formats: Record<ModuleName, PrintkFormat[]>,
): { module: ModuleName; cLine: number } | undefined {
  let best: { module: ModuleName; cLine: number; score: number } | undefined;
  for (const module of Object.keys(formats) as ModuleName[]) {
    for (const format of formats[module]) {
      if (format.literalLength === 0 || !format.pattern.test(text)) continue;
      if (!best || format.literalLength > best.score)
        best = { module, cLine: format.cLine, score: format.literalLength };
    }
  }
  return best && { module: best.module, cLine: best.cLine };
}

/** The line where a listing defines a function (its header, not a call or a prototype). */
export function functionLine(cText: string, name: string): number | undefined {
  const header = new RegExp(`^[A-Za-z_][\\w\\s\\*]*\\b${escapeRegExp(name)}\\s*\\(`);
  const lines = cText.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    if (!header.test(line) || /;\s*$/.test(line)) continue;
    return i + 1;
  }
  return undefined;
}

export type OopsFrame = {
  /** The symbol as printed, e.g. "myserver.cold"; `name` drops gcc's .cold/.isra suffixes. */
  symbol: string;
  name: string;
  /** `[server]`: the module the kernel says the address belongs to. */
  module?: string;
  /** A `?` frame: a stale address the unwinder found on the stack, not a sure caller. */
  reliable: boolean;
  /** The instruction pointer at the fault (the RIP line) rather than a call-trace frame. */
  rip: boolean;
  /** Index of the oops text line the frame stands on (0-based). */
  textLine: number;
  cLine?: number;
  listingModule?: ModuleName;
};

const FRAME = /^\s*(\? )?([A-Za-z_][\w.]*)\+0x[0-9a-f]+\/0x[0-9a-f]+(?: \[(\w+)\])?\s*$/;
const RIP = /^RIP: [0-9a-f]{4}:([A-Za-z_][\w.]*)\+0x[0-9a-f]+\/0x[0-9a-f]+(?: \[(\w+)\])?/;

/** The functions an oops names, each linked to its definition when a listing defines it. */
export function oopsFrames(oopsText: string, listings: ListingPair): OopsFrame[] {
  const frames: OopsFrame[] = [];
  oopsText.split("\n").forEach((line, textLine) => {
    const rip = RIP.exec(line);
    const frame = rip ? undefined : FRAME.exec(line);
    const symbol = rip?.[1] ?? frame?.[2];
    if (!symbol) return;
    const module = rip?.[2] ?? frame?.[3];
    const name = symbol.replace(/\.(cold|isra|constprop|part|localalias)(\.\d+)?/g, "");
    const entry: OopsFrame = { symbol, name, module, reliable: !frame?.[1], rip: Boolean(rip), textLine };
    const candidates = (Object.keys(listings) as ModuleName[]).filter((m) => !module || m === module);
    for (const candidate of candidates) {
      const cLine = functionLine(listings[candidate], name);
      if (cLine !== undefined) {
        entry.cLine = cLine;
        entry.listingModule = candidate;
        break;
      }
    }
    frames.push(entry);
  });
  return frames;
}
