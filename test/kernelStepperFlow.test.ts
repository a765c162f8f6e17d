import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { KernelLayout } from "../server/realKernel/gdb/kernelLayout.ts";
import { type KernelCall, type KernelReturn, KernelStepper } from "../server/realKernel/gdb/kernelStepper.ts";
import { encodePacket, RspFramer } from "../server/realKernel/gdb/rspPackets.ts";
import { tinyKo } from "./helpers/tinyKo.ts";

const layout: KernelLayout = {
  module: { name: 24, kallsyms: 544, nameLength: 56 },
  modKallsyms: { symtab: 0, numSymtab: 8, strtab: 16 },
  socket: { state: 0, type: 4, flags: 8, sk: 24, ops: 32, size: 128 },
  hz: 250,
  initialJiffies: 0n,
  calls: {
    socket: { state: 0, type: 4, sk: 24, ops: 32, size: 128 },
    sockaddrIn: { family: 0, port: 2, addr: 4, size: 16 },
    msghdr: { name: 0, namelen: 8, iterCount: 24, controllen: 80, flags: 88, size: 112 },
    kvec: { base: 0, len: 8, size: 16 },
  },
};
const DO_INIT_MODULE = 0xffffffff81139f60n;
const SOCK_CREATE_KERN = 0xffffffff8177ffb0n;
const INET_BIND = 0xffffffff8189ab20n;
const JIFFIES = 0xffffffff82a079c0n;
const MODULE = 0xffffffffc0203000n;
const KALLSYMS = 0xffffffffc0208000n;
const SYMTAB = 0xffffffffc0209000n;
/** Where the guest put tiny.ko's .text. */
const TEXT = 0xffffffffc0201000n;
const RES = 0xffffc900005b3a00n;
const SOCKET = 0xffff888004011040n;
const RSP = 0xffffc900005b3980n;

type Registers = Partial<Record<"rax" | "rdi" | "rsp" | "r8" | "rip", bigint>>;
/** A scripted stop: the registers there, and the watched address when a watchpoint made it. */
type Stop = Registers & {
  watch?: bigint /** Guest memory that changed before this stop. */;
  wrote?: [bigint, Buffer];
};
// QEMU's x86-64 'g' order, written out again rather than imported from rspClient.ts: the stub stands
// for QEMU, so a wrong order in the client fails here instead of agreeing with itself.
const ORDER = [
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
];

function int32(value: number): Buffer {
  const bytes = Buffer.alloc(4);
  bytes.writeInt32LE(value);
  return bytes;
}

function le64(value: bigint): Buffer {
  const bytes = Buffer.alloc(8);
  bytes.writeBigUInt64LE(BigInt.asUintN(64, value));
  return bytes;
}

/**
 * A gdbstub with a scripted guest: each resume (`c`) ends at the next scripted stop, a step (`s`)
 * moves rip on by one, `g` and `m` answer from the current registers and a memory map. Every packet
 * the stepper sends is kept, to check what a press costs.
 */
class FakeStub {
  readonly received: string[] = [];
  private registers: Registers = {};
  private readonly server: net.Server;
  private socket: net.Socket | undefined;

  constructor(
    readonly path: string,
    private readonly stops: Stop[],
    private readonly memory: Map<bigint, Buffer>,
  ) {
    this.server = net.createServer((socket) => {
      this.socket = socket;
      const framer = new RspFramer((frame) => {
        if (frame.kind === "packet") this.answer(socket, frame.data);
      });
      socket.on("data", (chunk) => framer.push(chunk));
    });
  }

  listen(): Promise<void> {
    return new Promise((resolve) => this.server.listen(this.path, resolve));
  }

  close(): void {
    this.socket?.destroy();
    this.server.close();
  }

  private answer(socket: net.Socket, data: string): void {
    this.received.push(data);
    socket.write("+");
    const reply = (text: string): void => {
      socket.write(encodePacket(text));
    };
    if (data.startsWith("qSupported")) return reply("PacketSize=1000");
    if (/^[Zz][03],/.test(data)) return reply("OK");
    if (data === "g")
      return reply(
        ORDER.map((r) => le64(this.registers[r as keyof Registers] ?? 0n).toString("hex")).join(""),
      );
    if (data === "s") {
      this.registers = { ...this.registers, rip: (this.registers.rip ?? 0n) + 1n };
      return reply("T05thread:01;");
    }
    const write = /^M([0-9a-f]+),([0-9a-f]+):([0-9a-f]*)$/.exec(data);
    if (write) {
      this.memory.set(BigInt(`0x${write[1]}`), Buffer.from(write[3] as string, "hex"));
      return reply("OK");
    }
    if (data.startsWith("G")) {
      const all = Buffer.from(data.slice(1), "hex");
      const next: Registers = {};
      ORDER.forEach((r, i) => {
        if (i * 8 + 8 <= all.length) next[r as keyof Registers] = all.readBigUInt64LE(i * 8);
      });
      this.registers = next;
      return reply("OK");
    }
    if (data.startsWith("c")) {
      const next = this.stops.shift();
      if (!next) return; // the guest runs on
      const { watch, wrote, ...registers } = next;
      if (wrote) this.memory.set(...wrote);
      this.registers = registers;
      return reply(watch === undefined ? "T05thread:01;" : `T05thread:01;rwatch:${watch.toString(16)};`);
    }
    const read = /^m([0-9a-f]+),([0-9a-f]+)$/.exec(data);
    if (read) {
      const at = BigInt(`0x${read[1]}`);
      const length = Number.parseInt(read[2] as string, 16);
      for (const [start, bytes] of this.memory) {
        if (at >= start && at + BigInt(length) <= start + BigInt(bytes.length)) {
          const from = Number(at - start);
          return reply(bytes.subarray(from, from + length).toString("hex"));
        }
      }
      return reply("E14");
    }
    reply("");
  }
}

const cleanup: Array<() => void> = [];
afterEach(() => {
  for (const done of cleanup.splice(0)) done();
});

function until<T>(found: () => T | undefined): Promise<T> {
  return new Promise((resolve) => {
    const poll = () => {
      const value = found();
      if (value !== undefined) resolve(value);
      else setTimeout(poll, 5);
    };
    poll();
  });
}

/** tiny.ko as the guest loaded it: its .ko and line table on disk, and the guest memory the stepper reads. */
function tinyGuest(): { dir: string; ko: string; memory: Map<bigint, Buffer> } {
  const dir = mkdtempSync(join(tmpdir(), "stepper-"));
  cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
  const ko = join(dir, "server.ko");
  writeFileSync(ko, tinyKo());
  // The .ko's line table, as moduleLineTable.ts leaves it beside the .ko: the calls on lines 11, 12, 13.
  writeFileSync(
    join(dir, "server.lines.json"),
    JSON.stringify({
      init_module: [
        10, 11, 11, 11, 11, 11, 12, 12, 12, 12, 12, 13, 13, 13, 13, 13, 14, 14, 14, 14, 14, 14, 14, 15,
      ],
    }),
  );
  // The guest's copy of the symbol table: entry 1 is .text's section symbol, 2 init_module.
  const symtab = Buffer.alloc(7 * 24);
  symtab.writeBigUInt64LE(TEXT, 1 * 24 + 8);
  symtab.writeBigUInt64LE(TEXT, 2 * 24 + 8);
  const name = Buffer.alloc(56);
  name.write("server");
  const kallsyms = Buffer.concat([le64(SYMTAB), le64(7n)]);
  const socket = Buffer.alloc(128);
  socket.writeInt32LE(1, 0);
  socket.writeInt16LE(1, 4);
  const memory = new Map<bigint, Buffer>([
    // do_init_module as Debian's 6.1 starts it: endbr64, ftrace's nop, push %r15 …
    [DO_INIT_MODULE, Buffer.from("f30f1efa0f1f44000041574156415541544989fc", "hex")],
    [MODULE + 24n, name],
    [MODULE + 544n, le64(KALLSYMS)],
    [KALLSYMS, kallsyms],
    [SYMTAB, symtab],
    [JIFFIES, le64(2500n)],
    [RES, le64(SOCKET)],
    [SOCKET, socket],
    // The relocated `call sock_create_kern` at .text+1 (e8 rel32), as the guest holds it.
    [TEXT + 1n, Buffer.concat([Buffer.from([0xe8]), int32(Number(SOCK_CREATE_KERN - (TEXT + 6n)))])],
  ]);
  return { dir, ko, memory };
}

/**
 * A stepper attached to a gdbstub that stops tiny.ko's guest at `stops` in turn, in step mode
 * (`holds`: each call waits for a Step press) or not, and what it reported.
 */
async function scriptedSession(stops: Stop[], holds: boolean) {
  const { dir, ko, memory } = tinyGuest();
  const stub = new FakeStub(join(dir, "gdb.sock"), stops, memory);
  await stub.listen();
  cleanup.push(() => stub.close());
  const waiting: KernelCall[] = [];
  const entered: KernelCall[] = [];
  const returned: KernelReturn[] = [];
  const stepper = new KernelStepper({
    socketPath: stub.path,
    symbols: new Map([
      ["do_init_module", DO_INIT_MODULE],
      ["sock_create_kern", SOCK_CREATE_KERN],
      ["inet_bind", INET_BIND],
      ["jiffies_64", JIFFIES],
    ]),
    layout,
    expected: (n) => (n === "server" ? { module: "server", variant: "published", koPath: ko } : undefined),
    holds: () => holds,
    isStepLine: (_module, _variant, line) => line === 11 || line === 12,
    onWaiting: (call) => waiting.push(call),
    onEnter: (call) => entered.push(call),
    onReturn: (ret) => returned.push(ret),
    onGone: () => {},
  });
  cleanup.push(() => stepper.dispose());
  await stepper.attach();
  return { stub, stepper, waiting, entered, returned };
}

describe("the kernel stepper against a gdbstub", () => {
  it("stops on the module's call sites, and a Step press makes the call by hand: no step, no breakpoint set, the guest resumed in the callee and its return caught by a read watchpoint on the return slot", async () => {
    const { stub, stepper, waiting, returned } = await scriptedSession(
      [
        { rip: DO_INIT_MODULE, rdi: MODULE },
        // sock_create_kern(&init_net, …, &sock): res in r8
        { rip: TEXT + 1n, rsp: RSP, r8: RES },
        // its return: the callee's `ret` read the watched return slot, so the guest stops after the
        // call, at the call's depth — here on the next call site, the indirect call (this tiny .ko's
        // calls are back to back, so rax is the result and that call's target at once)
        { rip: TEXT + 6n, rsp: RSP, rax: INET_BIND, rdi: SOCKET, watch: RSP - 8n },
      ],
      true,
    );

    const first = await until(() => waiting[0]);
    // On from do_init_module past its no-ops, with no single step (each flushes TCG's cache).
    expect(stub.received.filter((p) => p === "s" || p.startsWith("c"))).toEqual([
      "c",
      `c${(DO_INIT_MODULE + 9n).toString(16)}`,
    ]);
    expect(first).toMatchObject({ function: "sock_create_kern", cLine: 11, uptime: 10 });
    // Set at the module's load: do_init_module and both call sites, nothing after them.
    expect(stub.received.filter((p) => p.startsWith("Z0")).sort()).toEqual(
      [DO_INIT_MODULE, TEXT + 1n, TEXT + 6n].map((a) => `Z0,${a.toString(16)},1`).sort(),
    );

    const before = stub.received.length;
    stepper.release("server");
    const second = await until(() => waiting[1]);
    expect(returned[0]).toMatchObject({ function: "sock_create_kern", socket: { type: "SOCK_STREAM" } });
    // The indirect call's target, read from rax at the stop.
    expect(second).toMatchObject({ function: "inet_bind", cLine: 12 });
    const press = stub.received.slice(before);
    // No breakpoint set or lifted: QEMU 7.2 flushes TCG's translation cache at each, and at each
    // breakpoint stop; the watchpoint's stop flushes nothing.
    expect(press.filter((p) => /^[Zz]0/.test(p))).toEqual([]);
    // Into sock_create_kern with the instruction after the call as its return address, as `call`
    // pushes it; the return's stop is the next call's too, so one resume a press.
    expect(press.filter((p) => p === "s" || p.startsWith("c"))).toEqual([
      `c${SOCK_CREATE_KERN.toString(16)}`,
    ]);
    expect(press).toContain(`M${(RSP - 8n).toString(16)},8:${le64(TEXT + 6n).toString("hex")}`);
    expect(press).toContain(`Z3,${(RSP - 8n).toString(16)},8`);
    expect(press).toContain(`z3,${(RSP - 8n).toString(16)},8`);
    const written = press.find((p) => p.startsWith("G"));
    expect(Buffer.from(written?.slice(1) ?? "", "hex").readBigUInt64LE(7 * 8)).toBe(RSP - 8n);
  });

  it("a read of a call's watched return slot by anything but its return lets the guest go on, and a slot its return address has left (the thread died in the call) loses its watchpoint", async () => {
    const slot = RSP - 8n;
    const { stub, entered, returned } = await scriptedSession(
      [
        { rip: DO_INIT_MODULE, rdi: MODULE },
        { rip: TEXT + 1n, rsp: RSP, r8: RES },
        // an unwinder in the kernel reads the slot while the call is still out
        { rip: 0xffffffff81234567n, rsp: RSP - 0x100n, watch: slot },
        // the stack was reused: the slot holds someone else's return address, and it is read
        { rip: 0xffffffff81234600n, rsp: RSP - 0x40n, watch: slot, wrote: [slot, le64(0xffffffff81111111n)] },
      ],
      false,
    );

    // The fourth stop's resume: the guest runs on after both reads.
    await until(() => (stub.received.filter((p) => p.startsWith("c")).length >= 5 ? true : undefined));
    expect(entered.map((c) => c.function)).toEqual(["sock_create_kern"]);
    expect(returned).toEqual([]);
    const lifts = stub.received.filter((p) => p.startsWith("z3"));
    expect(lifts).toEqual([`z3,${slot.toString(16)},8`]);
    // Lifted only after the slot was seen reused, not at the first read.
    const afterFirstRead = stub.received.indexOf(
      "c",
      stub.received.indexOf(`c${SOCK_CREATE_KERN.toString(16)}`),
    );
    expect(stub.received.indexOf(lifts[0] as string)).toBeGreaterThan(afterFirstRead);
    // No single step and no breakpoint moved for either read.
    expect(stub.received.filter((p) => p === "s" || /^z0/.test(p))).toEqual([]);
  });
});
