import type { Duplex } from "node:stream";
import { REGISTER_ORDER, type X86Registers } from "../gdb/rspClient.ts";
import { GuestMemorySnapshot } from "./guestMemorySnapshot.ts";

/** The general registers in the order the plugin writes them (callTracer.c's REG_NAMES): the `g` packet's, without rip. */
const REGISTERS = REGISTER_ORDER.filter((name) => name !== "rip");

/** A call site the tracer watches: the call, the instruction it returns to, and its kvec argument (0-based), if it moves bytes. */
export type TracedSite = { at: bigint; returnsTo: bigint; bufferArgument?: number };

/** What the plugin saw at a call site (`call`) or at the return to one (`return`), the guest never stopped. */
export type TracedEvent = {
  kind: "call" | "return";
  /** The call instruction, or the instruction the call returned to. */
  at: bigint;
  registers: X86Registers;
  memory: GuestMemorySnapshot;
};

/** Parses one event line of the plugin ("E …" or "R …"); undefined for anything else. */
export function parseTracedEvent(line: string): TracedEvent | undefined {
  const words = line.split(" ");
  const kind = words[0] === "E" ? "call" : words[0] === "R" ? "return" : undefined;
  if (!kind || words.length < 2 + REGISTERS.length) return undefined;
  const at = BigInt(`0x${words[1]}`);
  const registers = { rip: at } as X86Registers;
  REGISTERS.forEach((name, i) => {
    registers[name] = BigInt(`0x${words[2 + i]}`);
  });
  const ranges: { at: bigint; bytes: Buffer }[] = [];
  for (let i = 2 + REGISTERS.length; i + 2 < words.length; i += 3) {
    if (words[i] !== "m") break;
    ranges.push({ at: BigInt(`0x${words[i + 1]}`), bytes: Buffer.from(words[i + 2] ?? "", "hex") });
  }
  return { kind, at, registers, memory: new GuestMemorySnapshot(ranges) };
}

/**
 * The app's end of the call-tracer plugin (callTracer.c) in the VM's QEMU: it sends the call sites
 * of the loaded lab modules and whether the plugin reports them, and hears each traced call and
 * return. Each command is answered "ok <seq>" once the plugin has applied it.
 */
export class CallTracerChannel {
  private partial = "";
  private seq = 0;
  private readonly waiting = new Map<number, () => void>();
  private listener: ((event: TracedEvent) => void) | undefined;
  private closed = false;

  constructor(private readonly port: Duplex) {
    port.setEncoding("latin1");
    port.on("data", (chunk: string) => this.receive(chunk));
    port.on("error", () => this.close());
    port.on("close", () => this.close());
  }

  /** Whoever traces with it now (one stepper per VM). */
  listen(listener: ((event: TracedEvent) => void) | undefined): void {
    this.listener = listener;
  }

  get open(): boolean {
    return !this.closed;
  }

  /** The call sites to watch, replacing the previous ones; resolves once the plugin has them. */
  setSites(sites: readonly TracedSite[]): Promise<void> {
    const list = sites
      .map((s) => `${s.at.toString(16)}:${s.returnsTo.toString(16)}:${s.bufferArgument ?? -1}`)
      .join(",");
    return this.send("sites", list);
  }

  /** Whether new calls are reported (off while step mode stops at the sites through the gdbstub). */
  setReporting(on: boolean): Promise<void> {
    return this.send("report", on ? "on" : "off");
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const done of this.waiting.values()) done();
    this.waiting.clear();
    this.port.destroy();
  }

  private send(command: string, argument: string): Promise<void> {
    if (this.closed) return Promise.reject(new Error("the call tracer is gone"));
    const seq = ++this.seq;
    return new Promise((resolve, reject) => {
      this.waiting.set(seq, () => (this.closed ? reject(new Error("the call tracer is gone")) : resolve()));
      this.port.write(`${command} ${seq} ${argument}\n`);
    });
  }

  private receive(chunk: string): void {
    const lines = (this.partial + chunk).split("\n");
    this.partial = lines.pop() ?? "";
    for (const line of lines) {
      if (line.startsWith("ok ")) {
        const seq = Number(line.slice(3));
        this.waiting.get(seq)?.();
        this.waiting.delete(seq);
        continue;
      }
      const event = parseTracedEvent(line);
      if (event) this.listener?.(event);
    }
  }
}
