import type { ModuleName } from "../protocol/steps.ts";

/**
 * Maps what a real kernel prints back to the C listing it ran: a printk record to the line whose
 * format literal produced it, and a function named in an oops (RIP, call trace) to the line where
 * the listing defines it. Lines are 1-based.
 */

const PRINTK_CALL =
  /\b(printk|pr_(?:emerg|alert|crit|err|warn|warning|notice|info|debug|cont))\s*\(\s*(?:(KERN_[A-Z]+)\s*)?"((?:[^"\\]|\\.)*)"/g;

/**
 * The level prefix each call glues onto its format (include/linux/kern_levels.h, printk.h, v6.1):
 * pr_info(fmt) is printk(KERN_INFO pr_fmt(fmt)), KERN_INFO is "\001" "6". The prefix takes room in
 * the record before the kernel strips it, so the bytes of text a record keeps depend on it.
 */
const LEVEL_DIGIT: Record<string, string> = {
  EMERG: "0",
  ALERT: "1",
  CRIT: "2",
  ERR: "3",
  WARN: "4",
  WARNING: "4",
  NOTICE: "5",
  INFO: "6",
  DEBUG: "7",
  CONT: "c",
};

function levelPrefix(call: string, kernLevel: string | undefined): string {
  const name = call === "printk" ? kernLevel?.replace(/^KERN_/, "") : call.replace(/^pr_/, "").toUpperCase();
  const digit = name === undefined ? undefined : LEVEL_DIGIT[name];
  return digit === undefined ? "" : `\x01${digit}`;
}

/** A conversion of the kernel's vsprintf: flags, width, precision (either may be `*`), length. */
const CONVERSION = /%[-+ #0]*(?:\d+|\*)?(?:\.(?:\d+|\*))?(?:hh|h|ll|l|z|t|j)?[diouxXcsp]/g;

export type PrintkFormat = {
  cLine: number;
  /** The function called: printk, pr_info, … */
  call: string;
  /** The KERN_<LEVEL> prefix the call puts before the format ("" for a printk that names none). */
  prefix: string;
  format: string;
  pattern: RegExp;
  literalLength: number;
};

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
      const call = match[1] as string;
      const prefix = levelPrefix(call, match[2]);
      const format = unescapeC(match[3] as string);
      // The record loses its trailing newline; a conversion matches any text, newlines included.
      const body = format.replace(/\n$/, "");
      const parts = body.split(CONVERSION);
      const pattern = new RegExp(`^${parts.map(escapeRegExp).join("[\\s\\S]*?")}$`);
      formats.push({ cLine: index + 1, call, prefix, format, pattern, literalLength: parts.join("").length });
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
  /** The offset into the function printed after the `+`. */
  offset?: number;
  /** The listing line of the frame's instruction (the server resolves it from the module's DWARF). */
  line?: number;
  /** The call the listing makes on `line`. */
  call?: string;
};

const FRAME = /^\s*(\? )?([A-Za-z_][\w.]*)\+0x([0-9a-f]+)\/0x[0-9a-f]+(?: \[(\w+)\])?\s*$/;
const RIP = /^RIP: [0-9a-f]{4}:([A-Za-z_][\w.]*)\+0x([0-9a-f]+)\/0x[0-9a-f]+(?: \[(\w+)\])?/;

/** The functions an oops names, each linked to its definition when a listing defines it. */
export function oopsFrames(oopsText: string, listings: ListingPair): OopsFrame[] {
  const frames: OopsFrame[] = [];
  oopsText.split("\n").forEach((line, textLine) => {
    const rip = RIP.exec(line);
    const frame = rip ? undefined : FRAME.exec(line);
    const symbol = rip?.[1] ?? frame?.[2];
    if (!symbol) return;
    const module = rip?.[3] ?? frame?.[4];
    const offset = Number.parseInt((rip?.[2] ?? frame?.[3]) as string, 16);
    const name = symbol.replace(/\.(cold|isra|constprop|part|localalias)(\.\d+)?/g, "");
    const entry: OopsFrame = {
      symbol,
      name,
      module,
      reliable: !frame?.[1],
      rip: Boolean(rip),
      textLine,
      offset,
    };
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

const NOT_CALLS = new Set(["if", "while", "for", "switch", "return", "sizeof"]);

/**
 * The call a listing line makes: the first `name(` or `a->b->name(` on it that is not a keyword
 * ("ret=kernel_recvmsg(client_sock,…)" → "kernel_recvmsg").
 */
export function callOnLine(cText: string, line: number): string | undefined {
  const text = (cText.split("\n")[line - 1] ?? "").replace(/"(?:[^"\\]|\\.)*"/g, '""');
  for (const match of text.matchAll(/((?:[A-Za-z_]\w*(?:->|\.))*[A-Za-z_]\w*)\s*\(/g)) {
    const call = match[1] as string;
    if (!NOT_CALLS.has(call)) return call;
  }
  return undefined;
}
