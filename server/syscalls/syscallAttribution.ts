import { MAX_SYSCALL_TEXT, type SyscallLine } from "../../shared/protocol/syscallMessages.ts";
import type { ModuleName, StepId } from "../../shared/protocol/steps.ts";
import { readMarker } from "./stepMarker.ts";
import { callText, type StraceCall, type StraceLine } from "./straceLine.ts";

type OpenCall = { step: StepId; t: number };

/** Where the lab was when a line was printed: each module's open call, and the lab's clock then. */
type Moment = { open: Partial<Record<ModuleName, OpenCall>>; offset: number | undefined };

/** Lines of a socket not yet known to be the lab's, and the moment each was printed. */
type Pending = Array<{ call: StraceCall; moment: Moment }>;

/** A socket's first few calls wait (socket, setsockopt); the worker's IPC socket never becomes the lab's. */
const PENDING_PER_SOCKET = 8;
const PENDING_SOCKETS = 32;

/**
 * Turns the traced worker's strace stream into the lab's system calls. A socket is the lab's once
 * a bind or connect names the lab's port, or accept4 returns it from a lab listener; its earlier
 * lines wait until then. fds are reused, so a socket is known by its inode (-y), never its fd.
 * Each line goes to its socket's module's open call, or, between calls, to the event loop.
 */
export class SyscallAttribution {
  private readonly open: Partial<Record<ModuleName, OpenCall>> = {};
  /** The lab's clock minus strace's (seconds), set by every marker. */
  private offset: number | undefined;
  private readonly owners = new Map<number, ModuleName>();
  private readonly pending = new Map<number, Pending>();
  private readonly portText: string;
  /** The time of the latest line read: a line that cannot be read is placed there. */
  private lastEpoch: number | undefined;

  constructor(port: number) {
    this.portText = `htons(${port})`;
  }

  /** The lab's lines a strace line makes: none, one, or a socket's waiting lines with it. */
  take(line: StraceLine): SyscallLine[] {
    if (line.kind === "raw") return [{ t: this.labTime(this.lastEpoch), text: clip(line.text), raw: true }];
    if (line.epoch !== undefined) this.lastEpoch = line.epoch;
    if (line.kind === "other") return [];
    const marker = readMarker(line.name, line.args);
    if (marker) {
      this.offset = marker.t - line.epoch;
      if (marker.phase === "enter") this.open[marker.module] = { step: marker.step, t: marker.t };
      else if (this.open[marker.module]?.step === marker.step) delete this.open[marker.module];
      return [];
    }
    const inodes = line.argInodes;
    if (inodes.length === 0 && line.retInode === undefined) return [];
    const moment: Moment = { open: { ...this.open }, offset: this.offset };
    const owner = this.ownerOf(line);
    if (!owner) {
      this.wait(line, moment);
      return [];
    }
    const out: SyscallLine[] = [];
    for (const inode of [...inodes, line.retInode]) {
      if (inode === undefined) continue;
      if (!this.owners.has(inode)) this.owners.set(inode, owner);
      const waiting = this.pending.get(inode);
      this.pending.delete(inode);
      for (const early of waiting ?? []) out.push(this.place(early.call, owner, early.moment));
    }
    out.push(this.place(line, owner, moment));
    if (line.name === "close" && line.value === 0) for (const inode of inodes) this.owners.delete(inode);
    return out;
  }

  private ownerOf(call: StraceCall): ModuleName | undefined {
    for (const inode of call.argInodes) {
      const owner = this.owners.get(inode);
      if (owner) return owner;
    }
    if (call.args.includes(this.portText)) {
      if (call.name === "bind") return "server";
      if (call.name === "connect") return "client";
    }
    return undefined;
  }

  private wait(call: StraceCall, moment: Moment): void {
    const inode = call.argInodes[0] ?? call.retInode;
    if (inode === undefined) return;
    if (call.name === "close") {
      this.pending.delete(inode);
      return;
    }
    let lines = this.pending.get(inode);
    if (!lines) {
      if (this.pending.size >= PENDING_SOCKETS) {
        const oldest = this.pending.keys().next().value;
        if (oldest !== undefined) this.pending.delete(oldest);
      }
      lines = [];
      this.pending.set(inode, lines);
    }
    if (lines.length < PENDING_PER_SOCKET) lines.push({ call, moment });
  }

  private place(call: StraceCall, module: ModuleName, moment: Moment): SyscallLine {
    const line: SyscallLine = {
      t: timeAt(call.epoch, moment.offset),
      text: clip(callText(call)),
      name: call.name,
      module,
    };
    const inCall = moment.open[module];
    if (inCall) return { ...line, step: inCall.step, stepAt: inCall.t };
    const other: ModuleName = module === "server" ? "client" : "server";
    const during = moment.open[other];
    return { ...line, loop: true, ...(during ? { during: { module: other, step: during.step } } : {}) };
  }

  private labTime(epoch: number | undefined): number {
    return epoch === undefined ? 0 : timeAt(epoch, this.offset);
  }
}

function timeAt(epoch: number, offset: number | undefined): number {
  if (offset === undefined) return 0;
  return Math.max(0, Math.round((epoch + offset) * 1e6) / 1e6);
}

function clip(text: string): string {
  return text.length <= MAX_SYSCALL_TEXT ? text : `${text.slice(0, MAX_SYSCALL_TEXT - 1)}…`;
}
