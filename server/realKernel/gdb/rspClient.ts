import net from "node:net";
import { encodePacket, type RspFrame, RspFramer } from "./rspPackets.ts";
import { stepTraceOn, trace } from "./stepTrace.ts";

/** What the stub says when the target stops (E.3 "Stop Reply Packets"). */
export type StopReply =
  | {
      kind: "signal";
      signal: number;
      thread?: string;
      /** A watchpoint's stop (`watch:`, `rwatch:`, `awatch:`): the address it watched. */
      watch?: bigint;
    }
  | { kind: "exited"; code: number }
  | { kind: "terminated"; signal: number };

/** The registers of an x86-64 target in the order of QEMU's `g` reply (gdb's amd64 core set). */
export type X86Registers = {
  rax: bigint;
  rbx: bigint;
  rcx: bigint;
  rdx: bigint;
  rsi: bigint;
  rdi: bigint;
  rbp: bigint;
  rsp: bigint;
  r8: bigint;
  r9: bigint;
  r10: bigint;
  r11: bigint;
  r12: bigint;
  r13: bigint;
  r14: bigint;
  r15: bigint;
  rip: bigint;
};

/** The x86-64 registers in the order gdb's `g` packet (and the call tracer's lines) give them. */
export const REGISTER_ORDER = [
  "rax",
  "rbx",
  "rcx",
  "rdx",
  "rsi",
  "rdi",
  "rbp",
  "rsp",
  "r8",
  "r9",
  "r10",
  "r11",
  "r12",
  "r13",
  "r14",
  "r15",
  "rip",
] as const satisfies readonly (keyof X86Registers)[];

const REGISTER_NAMES: ReadonlySet<string> = new Set(REGISTER_ORDER);

export function isRegisterName(name: string): name is keyof X86Registers {
  return REGISTER_NAMES.has(name);
}

/** What the client needs of a byte stream: a UNIX socket in the app, a recorded exchange in tests. */
export type RspTransport = {
  write(bytes: Buffer): void;
  on(event: "data", listener: (chunk: Buffer) => void): unknown;
  on(event: "close", listener: () => void): unknown;
  on(event: "error", listener: (err: Error) => void): unknown;
  destroy(): void;
};

export class RspError extends Error {}

const ACK = Buffer.from("+");

/** Every request but a resume gets an answer within this long, or the client gives up on the stub. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 5000;

type Waiter = {
  /** A resume's answer is the stop reply, which may come much later; other answers come at once. */
  resume: boolean;
  resolve: (reply: string) => void;
  reject: (err: Error) => void;
  timer: NodeJS.Timeout | undefined;
};

export function parseStopReply(reply: string): StopReply | undefined {
  const kind = reply[0];
  const code = Number.parseInt(reply.slice(1, 3), 16);
  if (kind === "T" || kind === "S") {
    const thread = /thread:([0-9a-fA-F.p-]+);/.exec(reply)?.[1];
    const watch = /(?:^|;)[ra]?watch:([0-9a-fA-F]+);/.exec(reply.slice(3))?.[1];
    return {
      kind: "signal",
      signal: code,
      ...(thread ? { thread } : {}),
      ...(watch ? { watch: BigInt(`0x${watch}`) } : {}),
    };
  }
  if (kind === "W") return { kind: "exited", code };
  if (kind === "X") return { kind: "terminated", signal: code };
  return undefined;
}

/** Little-endian hex (as `g` and `m` send it) to a number. */
function leHex(hex: string): bigint {
  let value = 0n;
  for (let i = hex.length - 2; i >= 0; i -= 2)
    value = (value << 8n) | BigInt(Number.parseInt(hex.slice(i, i + 2), 16));
  return value;
}

export function parseRegisters(reply: string): X86Registers {
  if (reply.length < REGISTER_ORDER.length * 16)
    throw new RspError(`short register reply (${reply.length} hex digits)`);
  const registers = {} as X86Registers;
  REGISTER_ORDER.forEach((name, i) => {
    registers[name] = leHex(reply.slice(i * 16, i * 16 + 16));
  });
  return registers;
}

function address(value: bigint): string {
  return value.toString(16);
}

/**
 * A client of GDB's remote serial protocol for QEMU's gdbstub: requests answered in order, each
 * within `timeoutMs` except `c`/`s`, whose answer is the next stop. Ack mode is used until the stub
 * agrees to QStartNoAckMode (QEMU 7.2 never does); a `-` makes the client send its oldest
 * unanswered packet again. Requests made together go out together, and the stub answers them in
 * order: a traced call's `M`, `G` and `c` cost one exchange with the stub, not three. Nothing is
 * sent behind a resume until its stop, not even the `+` for an answer that came before it: QEMU
 * stops a running VM at any byte it receives (gdb_read_byte), and a system-mode QEMU never waits for
 * that `+` (the next packet's `$` drops the answer it kept for a resend).
 */
export class RspClient {
  /** The stop's registers as `g` gave them, until the guest runs again: what `G` writes back. */
  private lastRegisters: string | undefined;
  private readonly framer: RspFramer;
  private readonly queue: Array<{ data: string; waiter: Waiter }> = [];
  /** Written and not yet answered, oldest first; a resume is always the last. */
  private readonly inFlight: Array<{ data: string; waiter: Waiter }> = [];
  private acks = true;
  private closedError: Error | undefined;
  private readonly closeListeners = new Set<(err: Error) => void>();
  /** The stub's largest packet (qSupported's PacketSize): `m` asks for at most half of it in bytes. */
  private packetSize = 1024;
  /**
   * Bytes to send once this turn of the event loop is done: every packet and `+` asked for in one
   * turn go out in one write, which QEMU reads in one pass of its main loop (each write of its own
   * cost a pass: ~0.1 ms a packet, with a traced call's stop sending five).
   */
  private readonly outbox: Buffer[] = [];

  constructor(
    private readonly transport: RspTransport,
    private readonly timeoutMs = DEFAULT_REQUEST_TIMEOUT_MS,
  ) {
    this.framer = new RspFramer((frame) => this.onFrame(frame));
    transport.on("data", (chunk) => this.framer.push(chunk));
    transport.on("error", (err) => this.fail(new RspError(`gdbstub connection failed: ${err.message}`)));
    transport.on("close", () => this.fail(new RspError("the gdbstub closed the connection")));
  }

  /** Connects to QEMU's gdbstub on a UNIX socket (`-chardev socket,path=…,server=on -gdb chardev:…`). */
  static connect(path: string, timeoutMs = DEFAULT_REQUEST_TIMEOUT_MS): Promise<RspClient> {
    return new Promise((resolve, reject) => {
      const socket = net.createConnection({ path });
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new RspError(`no gdbstub answered on ${path} within ${timeoutMs} ms`));
      }, timeoutMs);
      socket.once("error", (err) => {
        clearTimeout(timer);
        reject(new RspError(`cannot reach the gdbstub: ${err.message}`));
      });
      socket.once("connect", () => {
        clearTimeout(timer);
        socket.setNoDelay(true);
        resolve(new RspClient(socket, timeoutMs));
      });
    });
  }

  get closed(): boolean {
    return this.closedError !== undefined;
  }

  /** Called once when the connection ends (the VM exited, or close()). */
  onClose(listener: (err: Error) => void): void {
    if (this.closedError) listener(this.closedError);
    else this.closeListeners.add(listener);
  }

  /** Sends one packet and resolves with the stub's answer; an `E NN` answer is an RspError. */
  async request(data: string): Promise<string> {
    const reply = await this.enqueue(data, false);
    if (/^E[0-9a-fA-F]{2}$/.test(reply)) throw new RspError(`${data.slice(0, 40)} failed: ${reply}`);
    return reply;
  }

  /** Negotiates features and turns acks off when the stub allows; returns the stub's feature list. */
  async handshake(): Promise<Map<string, string | boolean>> {
    const reply = await this.request("qSupported:multiprocess-;swbreak+;hwbreak+");
    const features = new Map<string, string | boolean>();
    for (const item of reply.split(";")) {
      const eq = item.indexOf("=");
      if (eq > 0) features.set(item.slice(0, eq), item.slice(eq + 1));
      else if (item.endsWith("+") || item.endsWith("-")) features.set(item.slice(0, -1), item.endsWith("+"));
    }
    const size = features.get("PacketSize");
    if (typeof size === "string") this.packetSize = Number.parseInt(size, 16) || this.packetSize;
    if (features.get("QStartNoAckMode") === true && (await this.request("QStartNoAckMode")) === "OK") {
      this.acks = false;
    }
    return features;
  }

  async haltReason(): Promise<StopReply> {
    const reply = await this.request("?");
    const stop = parseStopReply(reply);
    if (!stop) throw new RspError(`not a stop reply: ${reply}`);
    return stop;
  }

  async readRegisters(): Promise<X86Registers> {
    const reply = await this.request("g");
    this.lastRegisters = reply;
    return parseRegisters(reply);
  }

  /** Reads guest memory (virtual addresses, as the CPU sees them), in pieces that fit a packet. */
  async readMemory(at: bigint, length: number): Promise<Buffer> {
    const chunk = Math.max(16, Math.floor((this.packetSize - 8) / 2));
    const parts: Buffer[] = [];
    for (let offset = 0; offset < length; offset += chunk) {
      const size = Math.min(chunk, length - offset);
      const reply = await this.request(`m${address(at + BigInt(offset))},${size.toString(16)}`);
      parts.push(Buffer.from(reply, "hex"));
    }
    return Buffer.concat(parts);
  }

  /** Writes guest memory (`M`): the stepper's one write is a return address on the guest's stack. */
  async writeMemory(at: bigint, bytes: Buffer): Promise<void> {
    await this.expectOk(`M${address(at)},${bytes.length.toString(16)}:${bytes.toString("hex")}`);
  }

  /**
   * Sets one register: `G` with every register as `g` gave them but this one (QEMU 7.2 answers `P`
   * only to a debugger that read its target description). GDB's x86-64 order: rax 0 … rsp 7 … rip 16.
   */
  async writeRegister(name: keyof X86Registers, value: bigint): Promise<void> {
    const all = this.lastRegisters ?? (await this.request("g"));
    const bytes = Buffer.alloc(8);
    bytes.writeBigUInt64LE(BigInt.asUintN(64, value));
    const at = REGISTER_ORDER.indexOf(name) * 16;
    const next = all.slice(0, at) + bytes.toString("hex") + all.slice(at + 16);
    await this.expectOk(`G${next}`);
    this.lastRegisters = next;
  }

  async readU64(at: bigint): Promise<bigint> {
    return (await this.readMemory(at, 8)).readBigUInt64LE(0);
  }

  /** A software breakpoint (`Z0`); QEMU keeps it in its translator, the guest's memory is untouched. */
  async setBreakpoint(at: bigint): Promise<void> {
    await this.expectOk(`Z0,${address(at)},1`);
  }

  async removeBreakpoint(at: bigint): Promise<void> {
    await this.expectOk(`z0,${address(at)},1`);
  }

  /**
   * A read watchpoint (`Z3`): the guest stops after an instruction that read any of `length` bytes
   * at `at`. Unlike a breakpoint's, QEMU's stop at a watchpoint does not flush TCG's translation
   * cache (gdb_vm_state_change flushes it at every RUN_STATE_DEBUG stop but a watchpoint's, QEMU
   * ≤ 10.1), and setting or removing one flushes one TLB page, not the translated code.
   */
  async setReadWatchpoint(at: bigint, length: number): Promise<void> {
    await this.expectOk(`Z3,${address(at)},${length.toString(16)}`);
  }

  async removeReadWatchpoint(at: bigint, length: number): Promise<void> {
    await this.expectOk(`z3,${address(at)},${length.toString(16)}`);
  }

  /**
   * Resumes the target (at `at`, when given: `c addr` sets the pc first); resolves with the next
   * stop (a breakpoint, an interrupt, the VM's end).
   */
  async resume(at?: bigint): Promise<StopReply> {
    this.lastRegisters = undefined;
    return this.stopReply(await this.enqueue(at === undefined ? "c" : `c${address(at)}`, true));
  }

  /** Executes one instruction and resolves with the stop after it. */
  async step(): Promise<StopReply> {
    this.lastRegisters = undefined;
    return this.stopReply(await this.enqueue("s", true));
  }

  /** Asks a running target to stop (Ctrl-C): the pending resume resolves with the stop. */
  interrupt(): void {
    if (this.closed) return;
    // After what this turn asked for (its resume, maybe): a Ctrl-C before it would stop nothing.
    this.flush();
    this.transport.write(Buffer.from([0x03]));
  }

  /** Removes every breakpoint and lets the target run on without a debugger (`D`), then closes. */
  async detach(): Promise<void> {
    try {
      await this.request("D");
    } finally {
      this.close();
    }
  }

  close(): void {
    this.fail(new RspError("the gdb connection was closed"));
    this.transport.destroy();
  }

  private async expectOk(data: string): Promise<void> {
    const reply = await this.request(data);
    if (reply !== "OK") throw new RspError(`${data} was not accepted: "${reply}"`);
  }

  private stopReply(reply: string): StopReply {
    const stop = parseStopReply(reply);
    if (!stop) throw new RspError(`not a stop reply: ${reply}`);
    return stop;
  }

  private enqueue(data: string, resume: boolean): Promise<string> {
    if (this.closedError) return Promise.reject(this.closedError);
    return new Promise((resolve, reject) => {
      const waiter: Waiter = { resume, resolve, reject, timer: undefined };
      this.queue.push({ data, waiter });
      this.sendNext();
    });
  }

  private sendNext(): void {
    while (!this.closedError && this.queue.length > 0) {
      if (this.inFlight.at(-1)?.waiter.resume) return;
      this.write(this.queue.shift() as { data: string; waiter: Waiter });
    }
  }

  private write(next: { data: string; waiter: Waiter }): void {
    this.inFlight.push(next);
    if (stepTraceOn) {
      const sentAt = performance.now();
      const { resolve } = next.waiter;
      next.waiter.resolve = (reply) => {
        trace(
          `rsp ${next.data.slice(0, 24)} ${(performance.now() - sentAt).toFixed(2)} ms -> ${reply.slice(0, 16)}`,
        );
        resolve(reply);
      };
    }
    if (!next.waiter.resume) {
      next.waiter.timer = setTimeout(
        () =>
          this.fail(
            new RspError(
              `the gdbstub did not answer "${next.data.slice(0, 40)}" within ${this.timeoutMs} ms`,
            ),
          ),
        this.timeoutMs,
      );
    }
    this.post(encodePacket(next.data));
  }

  private post(bytes: Buffer): void {
    this.outbox.push(bytes);
    if (this.outbox.length === 1) process.nextTick(() => this.flush());
  }

  private flush(): void {
    if (this.outbox.length === 0 || this.closedError) return;
    const bytes = this.outbox.length === 1 ? (this.outbox[0] as Buffer) : Buffer.concat(this.outbox);
    this.outbox.length = 0;
    this.transport.write(bytes);
  }

  private onFrame(frame: RspFrame): void {
    switch (frame.kind) {
      case "ack":
        return;
      case "nak":
        if (this.inFlight[0]) this.post(encodePacket(this.inFlight[0].data));
        return;
      case "corrupt":
        if (this.acks) this.post(Buffer.from("-"));
        return;
      case "packet": {
        const current = this.inFlight[0];
        const resumeBehind = this.inFlight.some((sent, i) => i > 0 && sent.waiter.resume);
        if (this.acks && !resumeBehind) this.post(ACK);
        if (!current) return;
        // Console output a stub may send while the target runs; the stop reply follows.
        if (current.waiter.resume && frame.data.startsWith("O") && frame.data !== "OK") return;
        // QEMU stops the VM when a debugger connects and says so unasked ("T02"), possibly after the
        // first request went out: a stop reply is only the answer to a resume or to "?".
        if (!current.waiter.resume && current.data !== "?" && /^[TS][0-9a-fA-F]{2}/.test(frame.data)) return;
        this.inFlight.shift();
        clearTimeout(current.waiter.timer);
        current.waiter.resolve(frame.data);
        this.sendNext();
        return;
      }
      default:
        return frame satisfies never;
    }
  }

  private fail(err: Error): void {
    if (this.closedError) return;
    this.closedError = err;
    const waiting = [...this.inFlight.splice(0), ...this.queue.splice(0)];
    for (const { waiter } of waiting) {
      clearTimeout(waiter.timer);
      waiter.reject(err);
    }
    for (const listener of this.closeListeners) listener(err);
    this.closeListeners.clear();
    this.transport.destroy();
  }
}
