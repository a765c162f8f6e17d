/**
 * What the kernel's printk stores and what dmesg shows for it, computed from real bytes, for the
 * Bytes view's explanation: whether %s ran off its buffer, whether the record was cut, and dmesg's
 * own escapes. (The printk pane shows the same cut record in caret notation: printk.ts.)
 */
import { LOG_LINE_MAX, printkPrefixLength } from "../../../shared/kernelLog/printk.ts";

export { LOG_LINE_MAX };

/** A %s argument: a buffer, and whether a NUL is known to follow the bytes shown (a terminator). */
export type BufferArg = { bytes: Uint8Array; terminated: boolean };
export type RecordArg = number | BufferArg;

export type KernelRecord = {
  /** The record's text as stored: cut to LOG_LINE_MAX - 1 bytes, a final newline and the level prefix stripped. */
  text: Uint8Array;
  /** The bytes of text a record with this format's level prefix can hold: 991 less the prefix. */
  textMax: number;
  /** The length of the KERN_<LEVEL> prefix the format starts with (2 for pr_info, 0 for a bare printk). */
  prefixLength: number;
  /** Bytes the format produced before the cut; undefined when %s ran off its buffer. */
  fullLength: number | undefined;
  /** %s found no NUL inside its buffer: the real kernel reads on into whatever memory follows. */
  readPastEnd: boolean;
  /** The text was longer than a record holds. */
  cut: boolean;
  /** The record's text ends inside memory the lab does not know (a short, unterminated read). */
  unknownTail: boolean;
};

const ascii = (text: string) => Array.from(text, (c) => c.charCodeAt(0) & 0xff);

/**
 * vsnprintf for %s, %.*s, %d and %% on bytes, then vprintk_store()'s cut, newline strip and prefix
 * strip, in the kernel's order (v6.1 printk_sprint(): vscnprintf, the newline, then the prefix).
 * `fmt` is the whole format printk got, the KERN_<LEVEL> prefix of pr_info() and the like included.
 */
export function kernelRecord(fmt: string, args: readonly RecordArg[], lineMax = LOG_LINE_MAX): KernelRecord {
  const out: number[] = [];
  let next = 0;
  let readPastEnd = false;
  const conversions = /%(\.\*)?([sd%])/g;
  let last = 0;
  for (const match of fmt.matchAll(conversions)) {
    out.push(...ascii(fmt.slice(last, match.index)));
    last = match.index + match[0].length;
    if (match[2] === "%") {
      out.push(0x25);
      continue;
    }
    const precision = match[1] ? Number(args[next++]) : Number.POSITIVE_INFINITY;
    const arg = args[next++];
    if (typeof arg === "number") {
      out.push(...ascii(String(Math.trunc(arg))));
      continue;
    }
    if (!arg) continue;
    const nul = arg.bytes.indexOf(0);
    const end = Math.min(nul === -1 ? arg.bytes.length : nul, precision);
    out.push(...arg.bytes.subarray(0, end));
    if (end === arg.bytes.length && nul === -1 && end < precision && !arg.terminated) {
      readPastEnd = true;
      break;
    }
  }
  if (!readPastEnd) out.push(...ascii(fmt.slice(last)));
  const room = lineMax - 1;
  const cut = out.length > room || (readPastEnd && out.length >= room);
  let text = out.slice(0, room);
  if (!readPastEnd || cut) {
    if (text.at(-1) === 0x0a) text = text.slice(0, -1);
  }
  const prefixLength = printkPrefixLength(fmt);
  text = text.slice(prefixLength);
  return {
    text: Uint8Array.from(text),
    textMax: room - prefixLength,
    prefixLength,
    fullLength: readPastEnd ? undefined : out.length - prefixLength,
    readPastEnd,
    cut,
    unknownTail: readPastEnd && !cut,
  };
}

/**
 * A record's text as util-linux dmesg prints it: the kernel escapes bytes below 0x20, from 0x7f up
 * and "\" as \xNN in /dev/kmsg (msg_add_ext_text, v6.1); dmesg decodes them and writes anything
 * neither printable nor white space as \xNN again (safe_fwrite), so 0x01 shows as \x01 and a
 * newline starts a new line. Bytes from 0x80 up are shown as \xNN here, as in the C locale.
 */
export function dmesgText(text: Uint8Array): string {
  let shown = "";
  for (const b of text) {
    const printable = b >= 0x20 && b < 0x7f;
    const space = b === 0x09 || b === 0x0a || b === 0x0b || b === 0x0c || b === 0x0d;
    shown += printable || space ? String.fromCharCode(b) : `\\x${b.toString(16).padStart(2, "0")}`;
  }
  return shown;
}
