/**
 * Reads the guest's serial console. The kernel is the only writer on it: every record reaches the
 * console (loglevel=8) in syslog format, "<pri>[    1.967149] text", printed synchronously and in the
 * kernel's own order, so nothing is lost when the kernel panics and no line is cut by another.
 * The guest's init never writes to the console: it writes its answers into the kernel log
 * (/dev/kmsg), as user-space records starting with "@@" (see guestInit.ts), which therefore arrive
 * in order with the module's own records. Anything else (firmware noise before the kernel) is a
 * "shell" line.
 */

export type KernelRecord = { kind: "kmsg"; usec: number; level: number; text: string };

export type GuestLine =
  | KernelRecord
  | { kind: "ready"; release: string }
  | { kind: "output"; id: number; text: string }
  | { kind: "result"; id: number; rc: number }
  | { kind: "shell"; text: string };

const CONSOLE = /^<(\d+)>\[\s*(\d+)\.(\d{6})\] ?(.*)$/;

/** Lines of one multi-line record arrive together; the last record of a burst waits this long. */
const RECORD_HOLD_MS = 40;

/**
 * The console prints a record's bytes as they are; show unprintable ones as /dev/kmsg and dmesg
 * do (\xNN), so 0x01 stays visible instead of being swallowed by the terminal.
 */
function escapeUnprintable(text: string): string {
  let out = "";
  for (const c of text) {
    const code = c.charCodeAt(0);
    out += code < 0x20 || code >= 0x7f ? `\\x${code.toString(16).padStart(2, "0")}` : c;
  }
  return out;
}

type ConsoleLine = { key: string; facility: number; level: number; usec: number; text: string };

function parseConsole(raw: string): ConsoleLine | undefined {
  const match = CONSOLE.exec(raw.replace(/\r$/, ""));
  if (!match) return undefined;
  const pri = Number(match[1]);
  const usec = Number(match[2]) * 1e6 + Number(match[3]);
  return {
    key: `${match[1]}:${usec}`,
    facility: pri >> 3,
    level: pri & 7,
    usec,
    text: escapeUnprintable(match[4] as string),
  };
}

function parseMarker(text: string): GuestLine {
  let match = /^@@ ready (\S+)/.exec(text);
  if (match) return { kind: "ready", release: match[1] as string };
  match = /^@@> (\d+) (.*)$/.exec(text);
  if (match) return { kind: "output", id: Number(match[1]), text: match[2] as string };
  match = /^@@ (\d+) rc=(\d+)/.exec(text);
  if (match) return { kind: "result", id: Number(match[1]), rc: Number(match[2]) };
  return { kind: "shell", text };
}

/** One console line on its own: a record (or one line of it), init's marker, or other text. */
export function parseGuestLine(raw: string): GuestLine | undefined {
  const line = parseConsole(raw);
  if (!line) {
    const text = raw.replace(/\r$/, "");
    return text === "" ? undefined : { kind: "shell", text };
  }
  // Facility 0 is the kernel; user space's records (/dev/kmsg) always carry another (LOG_USER at least).
  if (line.facility !== 0 && line.text.startsWith("@@")) return parseMarker(line.text);
  return { kind: "kmsg", usec: line.usec, level: line.level, text: line.text };
}

/**
 * Splits the byte stream into lines and joins the lines of one record again: the console prints
 * each line of a multi-line record with the record's own prefix.
 */
export class GuestOutputReader {
  private partial = "";
  private pending: { key: string; record: KernelRecord } | undefined;
  private timer: NodeJS.Timeout | undefined;
  private ready = false;

  constructor(private readonly onLine: (line: GuestLine) => void) {}

  push(chunk: string): void {
    const lines = (this.partial + chunk).split("\n");
    this.partial = lines.pop() ?? "";
    for (const raw of lines) this.handle(raw);
    clearTimeout(this.timer);
    this.timer = this.pending ? setTimeout(() => this.release(), RECORD_HOLD_MS) : undefined;
  }

  /** The last unterminated line and the record held back (the VM stopped). */
  flush(): void {
    clearTimeout(this.timer);
    if (this.partial) this.handle(this.partial);
    this.partial = "";
    this.release();
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.pending = undefined;
  }

  private handle(raw: string): void {
    const line = parseConsole(raw);
    if (line && this.pending?.key === line.key) {
      this.pending.record.text += `\n${line.text}`;
      return;
    }
    this.release();
    const parsed = parseGuestLine(raw);
    if (!parsed) return;
    if (parsed.kind === "ready") this.ready = true;
    // Before the kernel's console starts, the port carries only firmware noise (SeaBIOS, escape sequences).
    if (parsed.kind === "shell" && !this.ready) return;
    if (parsed.kind === "kmsg" && line) this.pending = { key: line.key, record: parsed };
    else this.onLine(parsed);
  }

  private release(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const pending = this.pending;
    this.pending = undefined;
    if (pending) this.onLine(pending.record);
  }
}
