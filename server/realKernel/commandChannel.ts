import type { Duplex } from "node:stream";
import { trace } from "./gdb/stepTrace.ts";

/**
 * The host's end of the guest's command port (the VM's second serial port, ttyS1, which nothing
 * but the init uses: the kernel prints on ttyS0).
 *
 * Why a port of its own, and why acknowledgements: the commands used to be typed into the console
 * port while the kernel booted. A UART keeps no bytes for a tty nobody has opened, and the 8250
 * driver clears its receive FIFO when the tty is opened (serial8250_do_startup), so whatever QEMU
 * had moved into the UART before the init opened the console was lost: "2 in" of "2 insmod …".
 *
 * So nothing is written before the init has opened this port, set it raw, and said "ready"; then
 * one command at a time: the next is written only once the init has acknowledged the previous
 * ("ack <id>", after it read the whole line and checked it; "bad <id>" for one it does not take). A line the init could not read is
 * answered "nak" and written again; an acknowledgement that does not come is asked for again by
 * writing the line again, which the init recognises by its id and only acknowledges. The init's
 * `read` loses the start of a line now and then (a signal interrupts it, see onLine): what is left
 * is naked, or, when it still starts with digits, answered as a repeat of an earlier command, and
 * both write the line again at once.
 */
export type ChannelLine = { id: number; text: string };

const RESEND_AFTER_MS = 5000;

/** An answer of the init on the command port other than its acknowledgements. */
export type ChannelAnswer =
  | { kind: "output"; id: number; text: string }
  | { kind: "result"; id: number; rc: number };

export class CommandChannel {
  /** Resolves with the kernel release the init reported once it reads this port. */
  readonly ready: Promise<string>;
  private isReady = false;
  private readonly queue: ChannelLine[] = [];
  /** The command written and not yet acknowledged (the queue's head). */
  private inFlight: ChannelLine | undefined;
  private partial = "";
  private resendTimer: NodeJS.Timeout | undefined;
  private closed = false;
  private resolveReady!: (release: string) => void;
  /** How many lines were written again (a nak or a missing acknowledgement): 0 on a sound port. */
  resent = 0;
  /** The id of the last command the init answered (ack or bad). */
  private lastAnswered = 0;

  /**
   * `onAnswer`: what the init answers on this port besides acknowledgements: a command it read
   * whole and does not take ("bad <id>", as a result of 127, like a command the shell could not
   * find), and the lines and exit status of a command that answers here ("out <id> <line>", "end
   * <id> <status>": the guest's TCP table, guestInit.ts).
   */
  constructor(
    private readonly port: Duplex,
    private readonly onAnswer: (answer: ChannelAnswer) => void = () => {},
  ) {
    this.ready = new Promise((resolve) => {
      this.resolveReady = resolve;
    });
    port.setEncoding("latin1");
    port.on("data", (chunk: string) => this.receive(chunk));
    port.on("error", () => this.close());
    port.on("close", () => this.close());
  }

  /** Queues a command line (without its newline); it is written when every earlier one is acknowledged. */
  send(line: ChannelLine): void {
    if (this.closed) return;
    this.queue.push(line);
    this.pump();
  }

  /** Commands written or waiting, not yet acknowledged. */
  get pending(): number {
    return this.queue.length + (this.inFlight ? 1 : 0);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.resendTimer);
    this.queue.length = 0;
    this.inFlight = undefined;
    if (!this.port.destroyed) this.port.destroy();
  }

  private receive(chunk: string): void {
    const lines = (this.partial + chunk).split("\n");
    this.partial = lines.pop() ?? "";
    for (const raw of lines) this.onLine(raw.replace(/\r$/, ""));
  }

  private onLine(line: string): void {
    const ready = /^ready (\S+)$/.exec(line);
    if (ready) {
      this.isReady = true;
      this.resolveReady(ready[1] as string);
      return this.pump();
    }
    const answer = /^(ack|bad) (\d+)$/.exec(line);
    if (answer && this.inFlight && Number(answer[2]) === this.inFlight.id) {
      clearTimeout(this.resendTimer);
      this.inFlight = undefined;
      this.lastAnswered = Number(answer[2]);
      if (answer[1] === "bad") this.onAnswer({ kind: "result", id: Number(answer[2]), rc: 127 });
      return this.pump();
    }
    // An answer for an earlier command that is not the one answered last (an answer repeated for
    // a line written twice): the init read a line whose start it lost. BusyBox ash's
    // `read` starts over when a signal (a background command's SIGCHLD) interrupts it, dropping
    // the bytes it had read: "15 insmod fixed server" read as "5 insmod fixed server" is taken for
    // a repeat of command 5 and acknowledged as such. The line in flight is written again now
    // instead of after RESEND_AFTER_MS.
    const answered = Number(answer?.[2]);
    if (answer && this.inFlight && answered < this.inFlight.id && answered !== this.lastAnswered)
      return this.write(this.inFlight, `the init answered ${answer[2]}: it read a line cut short`);
    const out = /^out (\d+) (.*)$/.exec(line);
    if (out) return this.onAnswer({ kind: "output", id: Number(out[1]), text: out[2] as string });
    const end = /^end (\d+) (\d+)$/.exec(line);
    if (end) return this.onAnswer({ kind: "result", id: Number(end[1]), rc: Number(end[2]) });
    if (line.startsWith("nak") && this.inFlight)
      return this.write(this.inFlight, `nak (it read "${line.slice(4)}")`);
  }

  private pump(): void {
    if (this.closed || !this.isReady || this.inFlight) return;
    const next = this.queue.shift();
    if (!next) return;
    this.inFlight = next;
    this.write(next);
  }

  /** `again`: why the line is written another time (the init's nak, or no acknowledgement in time). */
  private write(line: ChannelLine, again?: string): void {
    if (this.closed) return;
    if (again) {
      this.resent++;
      trace(`command ${line.id} written again: ${again}`);
    }
    this.port.write(`${line.id} ${line.text}\n`);
    clearTimeout(this.resendTimer);
    this.resendTimer = setTimeout(() => {
      if (this.inFlight === line) this.write(line, "no acknowledgement");
    }, RESEND_AFTER_MS);
    this.resendTimer.unref();
  }
}
