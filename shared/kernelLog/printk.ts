/**
 * dmesg-style formatting of the lab's kernel log. The kernel stamps each record with the time since
 * boot; the lab stamps it with seconds since the lab started, printed as dmesg does: "[%5lu.%06lu]".
 */
export function dmesgStamp(seconds: number): string {
  const micros = Math.max(0, Math.round(seconds * 1e6));
  const whole = Math.floor(micros / 1e6);
  const frac = micros % 1e6;
  return `[${String(whole).padStart(5, " ")}.${String(frac).padStart(6, "0")}]`;
}

/**
 * One printk record as dmesg shows it. A record holding newlines prints its later lines indented
 * under the text, as util-linux dmesg does, so they do not read as records of their own.
 */
export function formatDmesg(seconds: number, text: string): string {
  const stamp = dmesgStamp(seconds);
  const lines = text.replace(/\n$/, "").split("\n");
  const indent = " ".repeat(stamp.length + 1);
  return lines.map((line, i) => (i === 0 ? `${stamp} ${line}` : `${indent}${line}`)).join("\n");
}

/**
 * Makes control bytes visible in caret notation (0x01 → "^A", 0x7f → "^?"), bytes ≥ 0x80 as \xNN.
 * printk copies the bytes as they are, and a terminal would swallow 0x01 silently, so the learner
 * would see an empty message; `dmesg` itself escapes them too (as \x01).
 */
export function caretNotation(bytes: Uint8Array): string {
  let out = "";
  for (const b of bytes) out += CARET_NOTATION[b];
  return out;
}

/** Each byte's visible form, built once: a lesson prints a 1024-byte message every run. */
const CARET_NOTATION: readonly string[] = Array.from({ length: 256 }, (_, b) => {
  if (b === 0x0a) return "\n";
  if (b < 0x20) return `^${String.fromCharCode(b + 0x40)}`;
  if (b === 0x7f) return "^?";
  if (b >= 0x80) return `\\x${b.toString(16).padStart(2, "0")}`;
  return String.fromCharCode(b);
});

export type PrintkArg = string | number | Uint8Array;

/**
 * The subset of the kernel's vsprintf the listings use: %s (a string, or a byte buffer printed up
 * to its first NUL, as %s does), %.*s (the same, at most the int argument's count of bytes),
 * %d/%i/%u and %%. A buffer with no NUL stops at its end here; the real kernel would read on past it
 * (see the lesson: the lab does not emulate reading random memory).
 */
export function vsprintf(
  fmt: string,
  args: readonly PrintkArg[],
  showBytes: (bytes: Uint8Array) => string = caretNotation,
): string {
  let next = 0;
  return fmt.replace(/%(\.\*)?([sdiu%])/g, (_match, star: string | undefined, conv: string) => {
    if (conv === "%") return "%";
    const precision = star ? Number(args[next++]) : Number.POSITIVE_INFINITY;
    const arg = args[next++];
    if (arg === undefined) return "";
    if (conv === "s") {
      if (typeof arg === "string") return arg.slice(0, precision);
      if (typeof arg === "number") return String(arg);
      const nul = arg.indexOf(0);
      const end = Math.min(nul === -1 ? arg.length : nul, Math.max(0, precision));
      return showBytes(arg.subarray(0, end));
    }
    return typeof arg === "number" ? String(Math.trunc(arg)) : String(arg);
  });
}

/**
 * The text of one record as the kernel stores it, made visible. `fmt` is the whole format printk
 * got, its KERN_<LEVEL> prefix included (pr_info() glues KERN_INFO on). v6.1 (kernel/printk/
 * printk.c): vprintk_store() reserves at most LOG_LINE_MAX bytes, NUL included; printk_sprint()
 * writes at most LOG_LINE_MAX - 1 bytes of the expanded format, prefix and all (vscnprintf, 2124),
 * and only then strips the prefix (2132–2141). So a plain printk keeps 991 bytes of text and a
 * pr_info() 989 (Debian 12's build; the real kernel's record was measured at 989, see
 * docs/kernel-facts.md). The text is shown in caret notation.
 * The published server's printk of 1024 unterminated bytes is cut before the buffer ends, so what
 * it stores is exact; the kernel's read past the buffer only feeds the length it measured.
 */
export function printkRecordText(fmt: string, args: readonly PrintkArg[], lineMax = LOG_LINE_MAX): string {
  const raw = vsprintf(
    fmt,
    args.map((arg) => (arg instanceof Uint8Array ? latin1(arg) : arg)),
    (bytes) => latin1(bytes),
  );
  const written = raw.slice(0, lineMax - 1);
  // A record that fits keeps its newline here (formatDmesg drops it); a cut one has lost it.
  const text = written.slice(printkPrefixLength(written));
  const stored = new Uint8Array(text.length);
  for (let i = 0; i < stored.length; i++) stored[i] = text.charCodeAt(i) & 0xff;
  return caretNotation(stored);
}

/** The most text bytes a record keeps when its format starts with `prefix` (991 - the prefix's length). */
export function printkTextMax(prefix: string, lineMax = LOG_LINE_MAX): number {
  return lineMax - 1 - printkPrefixLength(prefix);
}

/** v6.1 kernel/printk/printk.c: CONSOLE_LOG_MAX (1024) - PREFIX_MAX (32 without CONFIG_PRINTK_CALLER). */
export const LOG_LINE_MAX = 992;

function latin1(bytes: Uint8Array): string {
  let text = "";
  for (const b of bytes) text += String.fromCharCode(b);
  return text;
}

/** KERN_SOH, the byte that starts a printk level prefix (include/linux/kern_levels.h). */
export const KERN_SOH = "\x01";

/** KERN_WARNING's level: do_init_module()'s pr_warn prints at it. */
export const KERN_WARNING_LEVEL = 4;

/** The level printk gives a record whose format names none: CONFIG_MESSAGE_LOGLEVEL_DEFAULT (4 on Debian 12). */
export const DEFAULT_MESSAGE_LOGLEVEL = 4;

/**
 * The length of the prefixes at the start of a printk text, as printk_parse_prefix() counts them
 * (v6.1 kernel/printk/printk.c 2089–2115): each is KERN_SOH and then a level digit "0".."7" or "c"
 * (KERN_CONT), the only bytes printk_get_level() accepts (include/linux/printk.h 19–29).
 */
export function printkPrefixLength(text: string): number {
  let length = 0;
  while (text.charAt(length) === KERN_SOH && /^[0-7c]$/.test(text.charAt(length + 1))) length += 2;
  return length;
}

/**
 * Splits the KERN_<LEVEL> prefixes off a printk format, as printk_parse_prefix() does: the record
 * keeps the first level named (or the default), its text keeps none of the prefixes.
 */
export function splitPrintkLevel(fmt: string): { level: number; body: string; prefix: string } {
  const prefix = fmt.slice(0, printkPrefixLength(fmt));
  const digit = /[0-7]/.exec(prefix.replaceAll(KERN_SOH, ""))?.[0];
  return {
    level: digit === undefined ? DEFAULT_MESSAGE_LOGLEVEL : Number(digit),
    body: fmt.slice(prefix.length),
    prefix,
  };
}
