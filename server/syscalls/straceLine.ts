/**
 * strace's output, one line at a time (`strace -f -ttt -y`): a system call with its arguments and
 * return value, a call split in two by another thread (`<unfinished ...>` / `<... x resumed>`), a
 * signal or an exit. Anything else is kept raw: strace's format is read defensively, never trusted.
 */
export type StraceCall = {
  kind: "call";
  pid?: number;
  /** Seconds since the epoch (-ttt). */
  epoch: number;
  name: string;
  args: string;
  /** The return value as printed: `0`, `-1 EINPROGRESS (Operation now in progress)`, `19<socket:[66697]>`. */
  ret: string;
  value?: number;
  errno?: string;
  /** The socket inodes -y printed in the arguments (socket:[N]), in order. */
  argInodes: number[];
  /** The socket a call returned (socket, accept4). */
  retInode?: number;
};

export type StraceLine =
  | StraceCall
  | { kind: "other"; epoch?: number; text: string }
  | { kind: "raw"; text: string };

const PREFIX = /^(?:\[pid\s+(\d+)\]\s+)?(\d{9,11}\.\d{1,9})\s+(.*)$/s;
const RESUMED = /^<\.\.\. ([a-z_0-9]+) resumed>\s?(.*)$/s;
const UNFINISHED = " <unfinished ...>";
const CALL = /^([a-z_0-9]+)\((.*)\)\s+=\s+(.+)$/s;
const RET = /^(-?\d+|0x[0-9a-f]+|\?)(?:<([^>]*)>)?(?:\s+(E[A-Z0-9]+))?/;
const SOCKET_INODE = /socket:\[(\d+)\]/g;

/** Reads strace lines in order, pairing a call's two halves when another thread interrupted it. */
export class StraceReader {
  /** Per thread: the first half of a call another thread's line interrupted. */
  private readonly unfinished = new Map<number, string>();

  read(line: string): StraceLine | undefined {
    const text = line.trimEnd();
    if (text === "") return undefined;
    const match = PREFIX.exec(text);
    if (!match) return { kind: "raw", text };
    const pid = match[1] === undefined ? undefined : Number(match[1]);
    const epoch = Number(match[2]);
    let body = match[3] ?? "";
    const key = pid ?? 0;
    if (body.endsWith(UNFINISHED)) {
      // A thread's first half is replaced if a second one comes: the bound is one per thread.
      this.unfinished.set(key, body.slice(0, -UNFINISHED.length));
      return undefined;
    }
    const resumed = RESUMED.exec(body);
    if (resumed) {
      const first = this.unfinished.get(key);
      this.unfinished.delete(key);
      if (first === undefined || !first.startsWith(`${resumed[1]}(`)) return { kind: "raw", text };
      body = first + (resumed[2] ?? "");
    }
    if (body.startsWith("+++") || body.startsWith("---")) return { kind: "other", epoch, text: body };
    return parseCall(body, epoch, pid) ?? { kind: "raw", text };
  }

  /** A thread that exited leaves no half call behind. */
  forget(pid: number): void {
    this.unfinished.delete(pid);
  }
}

function parseCall(body: string, epoch: number, pid: number | undefined): StraceCall | undefined {
  const call = CALL.exec(body);
  if (!call || !Number.isFinite(epoch)) return undefined;
  const [, name = "", args = "", ret = ""] = call;
  const parsed = RET.exec(ret);
  if (!parsed) return undefined;
  const value = parsed[1] === "?" ? undefined : Number(parsed[1]);
  const retInode = parsed[2] ? inodesIn(parsed[2])[0] : undefined;
  return {
    kind: "call",
    pid,
    epoch,
    name,
    args,
    ret,
    value: Number.isFinite(value) ? value : undefined,
    errno: parsed[3],
    argInodes: inodesIn(args),
    retInode,
  };
}

function inodesIn(text: string): number[] {
  return [...text.matchAll(SOCKET_INODE)].map((m) => Number(m[1]));
}

/** The call as strace shows it, without its thread and time. */
export function callText(call: StraceCall): string {
  return `${call.name}(${call.args}) = ${call.ret}`;
}
