/**
 * Reads the guest's serial console. Three kinds of line arrive on it:
 *  - /dev/kmsg records, streamed by the guest's init (`cat /dev/kmsg`): "prio,seq,usec,flags;text";
 *  - lines the kernel prints on the console itself ("[    1.967149] BUG: ..."): only emergencies,
 *    and whole oopses (an oops raises the console level), which may be all there is of a panic;
 *  - the init's own lines, each starting with "@@" (see guestInit.ts), and whatever else the shell
 *    printed (e.g. "Killed" when an oops kills insmod).
 * A record reaching us both ways is reported once, keyed by its timestamp and text.
 */

export type KernelRecord = { kind: "kmsg"; usec: number; level?: number; text: string };

export type GuestLine =
  | KernelRecord
  | { kind: "ready"; release: string }
  | { kind: "output"; id: number; text: string }
  | { kind: "result"; id: number; rc: number }
  | { kind: "shell"; text: string };

const KMSG = /^(\d+),\d+,(\d+),[^;]*;(.*)$/;
const CONSOLE = /^\[\s*(\d+)\.(\d{6})\] (.*)$/;
const KMSG_DICT = /^ [A-Z_]+=/;

/** /dev/kmsg escapes unprintable bytes as \xNN; a newline inside a record becomes a line break. */
function unescapeKmsg(text: string): string {
  return text.replace(/\\x0a/g, "\n").replace(/\\x5c/g, "\\");
}

export function parseGuestLine(raw: string): GuestLine | undefined {
  const line = raw.replace(/\r/g, "");
  if (line === "" || KMSG_DICT.test(line)) return undefined;
  if (line.startsWith("@@")) return parseMarker(line);
  const kmsg = KMSG.exec(line);
  if (kmsg) {
    return { kind: "kmsg", level: Number(kmsg[1]) & 7, usec: Number(kmsg[2]), text: unescapeKmsg(kmsg[3] as string) };
  }
  const console = CONSOLE.exec(line);
  if (console) {
    return { kind: "kmsg", usec: Number(console[1]) * 1e6 + Number(console[2]), text: console[3] as string };
  }
  return { kind: "shell", text: line };
}

function parseMarker(line: string): GuestLine | undefined {
  let match = /^@@ ready (\S+)/.exec(line);
  if (match) return { kind: "ready", release: match[1] as string };
  match = /^@@> (\d+) (.*)$/.exec(line);
  if (match) return { kind: "output", id: Number(match[1]), text: match[2] as string };
  match = /^@@ (\d+) rc=(\d+)/.exec(line);
  if (match) return { kind: "result", id: Number(match[1]), rc: Number(match[2]) };
  return { kind: "shell", text: line };
}

/** Splits a byte stream into lines, parses them, and drops a kernel record already seen. */
export class GuestOutputReader {
  private partial = "";
  private readonly seen = new Set<string>();
  private ready = false;

  constructor(private readonly onLine: (line: GuestLine) => void) {}

  push(chunk: string): void {
    const lines = (this.partial + chunk).split("\n");
    this.partial = lines.pop() ?? "";
    for (const raw of lines) this.handle(raw);
  }

  /** The last unterminated line, e.g. a panic's final words before QEMU exits. */
  flush(): void {
    if (this.partial) this.handle(this.partial);
    this.partial = "";
  }

  private handle(raw: string): void {
    const line = parseGuestLine(raw);
    if (!line) return;
    if (line.kind === "ready") this.ready = true;
    // Before init runs, the console carries only firmware noise (SeaBIOS, escape sequences).
    if (line.kind === "shell" && !this.ready) return;
    if (line.kind === "kmsg") {
      const key = `${line.usec}:${line.text}`;
      if (this.seen.has(key)) return;
      this.seen.add(key);
      if (this.seen.size > 20_000) this.seen.delete(this.seen.values().next().value as string);
    }
    this.onLine(line);
  }
}
