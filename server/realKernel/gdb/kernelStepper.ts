import type { ModuleName, Variant } from "../../../shared/protocol/steps.ts";
import type { StepLineMap } from "../../../shared/listings/stepLines.ts";
import type { KernelLayout } from "./kernelLayout.ts";
import { type LineTable, lineTableFor } from "../moduleLineTable.ts";
import { MODULE_INIT_FUNCTION, STEP_FUNCTIONS } from "./kernelSymbols.ts";
import { CALL_LENGTH, ELF64_SYM_SIZE, type KoImage, LoadedModule, parseKo } from "./moduleImage.ts";
import { RspClient, type X86Registers } from "./rspClient.ts";
import { decodeSocket, type KernelSocket } from "./socketView.ts";
import { type StepCallSite, stepCallSites } from "./stepCallSites.ts";
import { trace } from "./stepTrace.ts";
import type { CallFrame } from "../../../shared/protocol/callFrame.ts";
import {
  type FrameAtEntry,
  kvecBuffer,
  type MemoryReader,
  readCallFrame,
  readFrameAfter,
} from "./callFrameReader.ts";
import type { CallTracerChannel, TracedEvent } from "../callTracer/callTracerChannel.ts";

/**
 * A lab module the engine is about to insmod: which listing it was built from, and its .ko.
 * `steps`: a learner's build, whose step lines are its own C's (learnerModule.ts), not the listing's;
 */
export type ExpectedModule = {
  module: ModuleName;
  variant: Variant;
  koPath: string;
  steps?: StepLineMap;
  /** A learner's build: its C (the socket argument's name is read from its lines). */
  source?: string;
  /**
   * The .ko the guest loaded, when it is not koPath (a learner's build goes stripped): its symbol
   * table and relocations are read from it, the line table from koPath's DWARF.
   */
  imagePath?: string;
};

/** One call of a lab module into the kernel, found where the CPU is. */
export type KernelCall = {
  module: ModuleName;
  variant: Variant;
  /** The kernel function about to be called (sock_create_kern, inet_bind, …). */
  function: string;
  /** The listing line of the call instruction, where the CPU is stopped. */
  cLine: number;
  /**
   * The guest's uptime at this stop, from its jiffies: it does not run while the VM is paused.
   * Not read for a call the VM is not held at (tracing only: every request to the stub costs the
   * guest its time).
   */
  uptime?: number;
  socket?: KernelSocket;
  /** The call view's frame: the arguments by the release's signature, read at the call (and at its return). */
  frame?: CallFrame;
};

export type KernelReturn = KernelCall & {
  /** The call's `int` return value (eax, sign-extended), as the C sees it. */
  result: number;
  /** For recvmsg/sendmsg: the bytes in the kvec buffer after the call. */
  data?: { bytes: Buffer; bufferSize: number };
};

export type StepperOptions = {
  socketPath: string;
  symbols: Map<string, bigint>;
  layout: KernelLayout;
  /** A lab module the guest is loading (by its name in `struct module`), if the engine sent it. */
  expected: (name: string) => ExpectedModule | undefined;
  /** Whether the VM should stay paused before this module's calls (false: Continue was pressed). */
  holds: (module: ModuleName) => boolean;
  /** The listing line of a call instruction → is it one of the listing's steps? */
  isStepLine: (module: ModuleName, variant: Variant, cLine: number) => boolean;
  onWaiting: (call: KernelCall) => void;
  onEnter: (call: KernelCall) => void;
  onReturn: (ret: KernelReturn) => void;
  /** The connection ended while attached (the VM died, or the stub stopped answering). */
  onGone: (reason: string) => void;
  /**
   * The call-tracer plugin in the VM's QEMU (callTracer.c). With it, a run not in step mode is
   * traced without a breakpoint at the call sites: the plugin reports each call and return while
   * the guest runs on, and the stub stops the VM only at do_init_module. Unset: the gdbstub's
   * breakpoints trace every call, as they do in step mode.
   */
  tracer?: CallTracerChannel;
  /** Whether step mode is on: the call sites then stop the VM through the stub (the learner waits there). */
  stepping?: () => boolean;
  /**
   * The release series whose signatures name the arguments ("6.1"); unset, no call frame is read
   * (REAL_KERNEL_CALL_VIEW=off: the bench's baseline without the call view's reads).
   */
  callFrames?: string;
};

type PendingReturn = {
  call: KernelCall;
  /** The instruction after the call: where the guest goes on once the result is read. */
  returnsTo: bigint;
  /** The stack pointer at the call instruction: the same again once the call has returned. */
  rsp: bigint;
  resultSocket?: bigint;
  buffer?: { at: bigint; size: number };
  entry?: FrameAtEntry;
  /**
   * The stack slot holding the call's return address, under a read watchpoint: the callee's `ret`
   * reads it, and the guest stops at the instruction after the call. Unset: a breakpoint there.
   */
  watch?: bigint;
};

/** A return address's size: the read watchpoint on its stack slot covers it. */
const RETURN_SLOT = 8;

type ModuleSite = StepCallSite & { module: ModuleName; variant: Variant };

/** A watchpoint stop's return reads, sent with its `g`, and the return they were for. */
type EarlyReturnReads = { pending: PendingReturn; reads: ReturnType<KernelStepper["returnReads"]> };

const MAX_DATA = 4096;
const STEP_FUNCTION_NAMES: ReadonlySet<string> = new Set(STEP_FUNCTIONS);

/** A call traced by the plugin, out until its return is reported. */
type TracedPending = { call: KernelCall; entry?: FrameAtEntry; buffer?: { at: bigint; size: number } };

/** The functions that move bytes through a kvec, and that argument's index: its buffer is read at the return. */
const KVEC_ARGUMENT: Readonly<Record<string, number>> = { kernel_recvmsg: 2, kernel_sendmsg: 2 };

/** The no-op instructions a kernel function may start with: endbr64 (IBT), and ftrace's patched-out call. */
const NO_OPS = [
  [0xf3, 0x0f, 0x1e, 0xfa], // endbr64
  [0x0f, 0x1f, 0x44, 0x00, 0x00], // nopl 0x0(%rax,%rax,1): ftrace's __fentry__ call, patched out
  [0x66, 0x0f, 0x1f, 0x44, 0x00, 0x00],
  [0x0f, 0x1f, 0x40, 0x00],
  [0x0f, 0x1f, 0x00],
  [0x66, 0x90],
  [0x90],
];

/** The length of the no-op instruction at `offset`, or 0 when it is something else. */
export function noOpLength(bytes: Buffer, offset: number): number {
  for (const op of NO_OPS) {
    if (op.every((byte, i) => bytes[offset + i] === byte)) return op.length;
  }
  return 0;
}

/** A .ko and its line table, read once per build (the path is the build's, so its content never changes). */
const images = new Map<string, Promise<{ image: KoImage; lines: LineTable }>>();

function moduleImage(expected: ExpectedModule): Promise<{ image: KoImage; lines: LineTable }> {
  let image = images.get(expected.koPath);
  if (!image) {
    image = lineTableFor(expected.koPath, `${expected.module}.c`).then((lines) => ({
      image: parseKo(expected.imagePath ?? expected.koPath),
      lines,
    }));
    image.catch(() => images.delete(expected.koPath));
    images.set(expected.koPath, image);
  }
  return image;
}

/**
 * Pauses the guest before each kernel call a lab module makes, through QEMU's gdbstub. At a lab
 * module's do_init_module (its sections are placed by then: `struct module`'s copy of its symbol
 * table says where), a breakpoint goes on each of its call instructions on a listing step line
 * (found from the .ko's relocations and line table) and on the instruction after it. So the CPU
 * stops in the module's code, on the C line, before the call; the kernel's pages hold no
 * breakpoint (under TCG such a page runs one instruction at a time) and the kernel's own calls of
 * the same functions never stop the VM. The VM stays stopped until `release(module)`; the stop
 * after the call, at the same stack depth, gives its real result from rax. The breakpoints stay
 * for the module's life: a press sets none.
 *
 * Out of step mode, with the call-tracer plugin in the VM's QEMU (`options.tracer`), the call sites
 * get no breakpoint: the plugin is sent them instead and reports each call and return while the
 * guest runs on (onTraced), and do_init_module is the only stop.
 */
export class KernelStepper {
  private client: RspClient | undefined;
  private readonly loaded = new Map<ModuleName, { loaded: LoadedModule; sites: ModuleSite[] }>();
  /** Call instructions by address, over every loaded lab module. */
  private sites = new Map<bigint, ModuleSite>();
  private readonly stepFunctions = new Map<bigint, string>();
  private readonly initModule: bigint;
  /**
   * do_init_module's first instruction that is not a no-op (its endbr64 and ftrace's 5-byte nop):
   * the guest goes on there from the stop at do_init_module, with no single step off the
   * breakpoint (each step switches TCG's single-stepping on and off, and each switch flushes the
   * whole translation cache: after every insmod the guest translated its kernel code again).
   * Unset: the function starts with a real instruction, and the guest steps off as before.
   */
  private initModuleBody: bigint | undefined;
  private readonly returns = new Map<bigint, PendingReturn[]>();
  private readonly breakpoints = new Set<bigint>();
  /**
   * Whether QEMU's single step leaves a breakpoint's address without reporting that breakpoint
   * (QEMU ≥ 6.1: "singlestep overrides breakpoints"); found out at the first step off one. If not,
   * the breakpoint is lifted for the step, as gdb does.
   */
  private stepPassesBreakpoint: boolean | undefined;
  private waiting: { module: ModuleName; release: () => void } | undefined;
  private ended = false;
  /** A resume is out: the guest runs until the stub reports a stop. */
  private running = false;
  private readonly symbolNames = new Map<bigint, string>();
  /**
   * Where the guest goes on after this stop, when the stepper moved it: the callee of a call it
   * made by hand, or the instruction after a call whose return it took. Unset: it steps off the
   * breakpoint it stopped on. (Under TCG, QEMU 7.2 flushes its whole translation cache each time
   * single-stepping is switched on or off, and at each breakpoint set or removed: a step off a
   * breakpoint made every traced call cost the guest its translated code four times over.)
   */
  private resumeAt: bigint | undefined;
  /** The call made by hand's stack and register writes, sent and not yet answered. */
  private writes: Promise<unknown> | undefined;
  /**
   * A traced call's entry, read and sent after the guest went on (its reads went out with the
   * resume): awaited before the next stop is looked at, so the call's enter precedes its return.
   */
  private entering: Promise<void> = Promise.resolve();
  /** Returns read at this stop, told once the guest is on its way again (tracing's time is the guest's). */
  private readonly toTell: Array<() => void> = [];
  /** Whether the plugin traces the calls now (its reports on, no breakpoint on the call sites). */
  private tracerOn = false;
  /** Step mode went on or off: the sites' breakpoints and the plugin's reports change at the next stop. */
  private modeChanged = false;
  /** Calls the plugin reported, by their return instruction and stack pointer. */
  private readonly traced = new Map<string, TracedPending>();
  /** The plugin's events, handled one after another (each one's reads resolve in its own turn). */
  private tracedChain: Promise<void> = Promise.resolve();

  constructor(private readonly options: StepperOptions) {
    for (const name of STEP_FUNCTIONS) {
      const at = options.symbols.get(name);
      if (at !== undefined) this.stepFunctions.set(at, name);
    }
    const init = options.symbols.get(MODULE_INIT_FUNCTION);
    if (init === undefined) throw new Error(`the guest's kallsyms has no ${MODULE_INIT_FUNCTION}`);
    this.initModule = init;
    for (const [name, at] of options.symbols) this.symbolNames.set(at, name);
  }

  /** Connects (QEMU pauses the VM), sets the module-load breakpoint and lets the guest run on. */
  async attach(): Promise<void> {
    const client = await RspClient.connect(this.options.socketPath);
    this.client = client;
    client.onClose((err) => this.end(err.message));
    await client.handshake();
    this.initModuleBody = await this.pastNoOps(client, this.initModule);
    await this.insert(this.initModule);
    const { tracer } = this.options;
    if (tracer?.open) {
      tracer.listen((event) => {
        this.tracedChain = this.tracedChain
          .then(() => this.onTraced(event))
          .catch((err: unknown) => trace(`traced event dropped: ${(err as Error).message}`));
      });
      this.tracerOn = this.tracerWanted();
      await tracer.setReporting(this.tracerOn);
    }
    void this.run(client);
  }

  /** Whether the plugin should trace: it is there, and step mode (which stops at the sites) is off. */
  private tracerWanted(): boolean {
    return this.options.tracer?.open === true && !(this.options.stepping?.() ?? false);
  }

  /**
   * Step mode went on or off. With the plugin, the call sites' breakpoints are set (on) or lifted
   * (off) and the plugin's reports switched the other way, both while the VM is stopped, so no call
   * is missed or told twice: the VM is interrupted for it if it runs.
   */
  steppingChanged(): void {
    if (!this.options.tracer || this.ended) return;
    if (!this.modeChanged && this.tracerWanted() === this.tracerOn) return;
    this.modeChanged = true;
    if (this.running) this.client?.interrupt();
  }

  private async applyMode(): Promise<void> {
    this.modeChanged = false;
    const tracer = this.options.tracer;
    const on = this.tracerWanted();
    if (!tracer || on === this.tracerOn) return;
    this.tracerOn = on;
    trace(`tracing by ${on ? "the plugin" : "breakpoints"}`);
    if (!on) await tracer.setReporting(false);
    await this.placeBreakpoints();
    if (on) await tracer.setReporting(true);
  }

  /** The module the VM is paused for, if any. */
  get pausedFor(): ModuleName | undefined {
    return this.waiting?.module;
  }

  /** Lets the VM go on from a pause before one of `module`'s calls. */
  release(module: ModuleName): void {
    if (this.waiting?.module !== module) return;
    const { release } = this.waiting;
    this.waiting = undefined;
    trace(`release ${module}`);
    release();
  }

  /** Removes every breakpoint and lets the guest run without a debugger. */
  async detach(): Promise<void> {
    if (this.ended) return;
    this.ended = true;
    const client = this.client;
    this.waiting?.release();
    this.waiting = undefined;
    this.options.tracer?.listen(undefined);
    if (this.options.tracer?.open) await this.options.tracer.setReporting(false).catch(() => {});
    if (!client || client.closed) return;
    if (this.running) {
      client.interrupt();
      const deadline = Date.now() + 2000;
      while (this.running && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    }
    // Calls still out (a blocked accept) were made with their real return address: without the
    // debugger they return where `call` would have; `D` lifts their watchpoints with the breakpoints.
    this.returns.clear();
    await client.detach().catch(() => client.close());
  }

  dispose(): void {
    this.ended = true;
    this.options.tracer?.listen(undefined);
    this.waiting = undefined;
    this.client?.close();
  }

  private async insert(at: bigint): Promise<void> {
    if (this.breakpoints.has(at)) return;
    this.breakpoints.add(at);
    await this.client?.setBreakpoint(at);
  }

  private async remove(at: bigint): Promise<void> {
    if (!this.breakpoints.delete(at)) return;
    await this.client?.removeBreakpoint(at);
  }

  private async run(client: RspClient): Promise<void> {
    let rip: bigint | undefined;
    try {
      while (!this.ended) {
        // A call made by hand, or a return taken, goes on at an address with no breakpoint: no step.
        const at = this.resumeAt;
        this.resumeAt = undefined;
        if (this.modeChanged) await this.applyMode();
        if (at === undefined && rip !== undefined && this.breakpoints.has(rip))
          await this.stepOff(client, rip);
        this.running = true;
        const stopping = client.resume(at).finally(() => {
          this.running = false;
        });
        stopping.catch(() => {});
        this.tell();
        const writes = this.writes;
        this.writes = undefined;
        // A write the stub refused: the guest is already on its way with a broken frame; end here.
        if (writes) await writes;
        const stop = await stopping;
        if (this.ended) return;
        if (stop.kind !== "signal") return this.end("the VM ended");
        const reading = client.readRegisters();
        reading.catch(() => {});
        await this.entering;
        // A watchpoint's stop is, nearly always, the return of the call that set it: its reads go
        // out with `g`, one exchange with the stub instead of two.
        const early = stop.watch === undefined ? undefined : this.readReturnEarly(client, stop.watch);
        const registers = await reading;
        rip = registers.rip;
        trace(`stop at ${this.describe(rip)}${stop.watch === undefined ? "" : " (watchpoint)"}`);
        await this.onStop(client, registers, stop.watch, early);
      }
    } catch (err) {
      this.end((err as Error).message);
    }
  }

  /** Off a breakpoint by one instruction, or the resume would stop there again at once. */
  private async stepOff(client: RspClient, at: bigint): Promise<void> {
    if (this.stepPassesBreakpoint !== false) {
      await client.step();
      if (this.stepPassesBreakpoint === undefined) {
        this.stepPassesBreakpoint = (await client.readRegisters()).rip !== at;
      }
      if (this.stepPassesBreakpoint) return;
    }
    await client.removeBreakpoint(at);
    await client.step();
    await client.setBreakpoint(at);
  }

  private describe(rip: bigint): string {
    if (rip === this.initModule) return MODULE_INIT_FUNCTION;
    const site = this.sites.get(rip);
    if (site) return `${site.module} call on line ${site.cLine}`;
    return this.returns.has(rip) ? "a return" : rip.toString(16);
  }

  private end(reason: string): void {
    if (this.ended) {
      this.client?.close();
      return;
    }
    this.ended = true;
    this.waiting = undefined;
    this.client?.close();
    this.options.onGone(reason);
  }

  /** Sends the events of this stop's returns, in order: after the resume, or before a pause. */
  private tell(): void {
    for (const told of this.toTell.splice(0)) told();
  }

  private async onStop(
    client: RspClient,
    registers: X86Registers,
    watch?: bigint,
    early?: EarlyReturnReads,
  ): Promise<void> {
    const { rip } = registers;
    if (rip === this.initModule && watch === undefined) return this.onModuleInit(client, registers.rdi);
    // A call made by hand returns to the instruction after it, at the stack depth it was made at:
    // the callee's `ret` read the watched slot.
    // (Back at its depth is back from the call, whichever stop QEMU reported first there.)
    const pending = this.returns.get(rip);
    const index = pending?.findIndex((p) => p.rsp === registers.rsp) ?? -1;
    const ret = index >= 0 ? pending?.splice(index, 1)[0] : undefined;
    if (pending && ret && pending.length === 0) this.returns.delete(rip);
    if (ret) {
      if (ret.watch !== undefined) this.unwatch(client, ret.watch);
      await this.onReturn(client, ret, registers, early?.pending === ret ? early.reads : undefined);
    } else if (watch !== undefined) {
      // Something else read the slot (an unwinder, _RET_IP_): the call is still out while the
      // slot holds its return address, and the guest goes on. A slot that no longer holds it
      // belongs to a frame that is gone (its thread died in the call): no return will come.
      await this.forgetIfGone(client, watch);
    }
    // The instruction after a call may be the next call: it is that call's stop too.
    const site = this.sites.get(rip);
    if (site) await this.onCall(client, site, registers);
  }

  /** Lifts a return's watchpoint; sent with the resume that follows, as the call's own writes are. */
  private unwatch(client: RspClient, slot: bigint): void {
    // One the stub no longer has (lifted twice) is no reason to end the stepper.
    const lifting = client.removeReadWatchpoint(slot, RETURN_SLOT).catch(() => {});
    const before = this.writes;
    this.writes = before ? Promise.all([before, lifting]) : lifting;
  }

  private async forgetIfGone(client: RspClient, slot: bigint): Promise<void> {
    const held = await client.readU64(slot).catch(() => undefined);
    let lifted = false;
    for (const [at, pending] of this.returns) {
      const gone = pending.filter((p) => p.watch === slot && held !== p.returnsTo);
      if (gone.length === 0) continue;
      const left = pending.filter((p) => !gone.includes(p));
      if (left.length === 0) this.returns.delete(at);
      else this.returns.set(at, left);
      trace(`return slot ${slot.toString(16)} reused: the call on line ${gone[0]?.call.cLine} never returns`);
      if (!lifted) this.unwatch(client, slot);
      lifted = true;
    }
  }

  /** The address of the first instruction at `at` that is not an endbr64 or a nop, if one is within reach. */
  private async pastNoOps(client: RspClient, at: bigint): Promise<bigint | undefined> {
    const bytes = await client.readMemory(at, 16).catch(() => Buffer.alloc(0));
    let offset = 0;
    while (offset < bytes.length) {
      const length = noOpLength(bytes, offset);
      if (length === 0) break;
      offset += length;
    }
    return offset > 0 && offset < bytes.length ? at + BigInt(offset) : undefined;
  }

  private async onModuleInit(client: RspClient, mod: bigint): Promise<void> {
    if (this.initModuleBody !== undefined) this.resumeAt = this.initModuleBody;
    const { layout } = this.options;
    // Reads that do not wait on each other asked for together: three exchanges with the stub, not five.
    const [nameBytes, kallsyms] = await Promise.all([
      client.readMemory(mod + BigInt(layout.module.name), layout.module.nameLength),
      client.readU64(mod + BigInt(layout.module.kallsyms)),
    ]);
    const name = nameBytes.toString("latin1", 0, Math.max(0, nameBytes.indexOf(0)));
    const expected = this.options.expected(name);
    if (!expected) return;
    const [symtab, countBytes] = await Promise.all([
      client.readU64(kallsyms + BigInt(layout.modKallsyms.symtab)),
      client.readMemory(kallsyms + BigInt(layout.modKallsyms.numSymtab), 4),
    ]);
    const count = countBytes.readUInt32LE(0);
    const table = await client.readMemory(symtab, count * ELF64_SYM_SIZE);
    const values = Array.from({ length: count }, (_, i) => table.readBigUInt64LE(i * ELF64_SYM_SIZE + 8));
    const { image, lines } = await moduleImage(expected);
    const loaded = new LoadedModule(image, values);
    const { module, variant } = expected;
    const sites = stepCallSites(loaded, lines, STEP_FUNCTION_NAMES, (cLine) =>
      this.options.isStepLine(module, variant, cLine),
    ).map((site) => ({ ...site, module, variant }));
    this.loaded.delete(module);
    for (const other of this.loaded.values()) {
      // Another module's init code, freed since, may lie where this one now is: its sites there go.
      other.loaded.forgetOverlaps(loaded.ranges());
      other.sites = other.sites.filter((s) => loaded.ranges().every(([a, b]) => s.at < a || s.at >= b));
    }
    this.loaded.set(module, { loaded, sites });
    // Calls of the module's previous load still out (its thread died in one: an oops) never return.
    for (const [key, pending] of this.traced) if (pending.call.module === module) this.traced.delete(key);
    await this.placeBreakpoints();
  }

  /** One breakpoint on each call site and on its return, over every loaded module; none elsewhere but do_init_module. */
  private async placeBreakpoints(): Promise<void> {
    this.sites = new Map();
    for (const { sites } of this.loaded.values()) for (const site of sites) this.sites.set(site.at, site);
    const wanted = new Set<bigint>([this.initModule]);
    // Returns caught by a breakpoint (a call the guest made itself); the others by their watchpoint.
    for (const [at, pending] of this.returns) if (pending.some((p) => p.watch === undefined)) wanted.add(at);
    // Traced by the plugin, the sites hold no breakpoint; it gets them all, to report or not.
    if (!this.tracerOn) for (const site of this.sites.values()) wanted.add(site.at);
    const tracer = this.options.tracer;
    if (tracer?.open) {
      const traced = [...this.sites.values()].map((site) => ({
        at: site.at,
        returnsTo: site.returnsTo,
        bufferArgument: "function" in site.callee ? KVEC_ARGUMENT[site.callee.function] : undefined,
      }));
      await tracer.setSites(traced);
    }
    // Asked for together: one exchange with the stub for the lot, not one each.
    await Promise.all([
      ...[...this.breakpoints].filter((at) => !wanted.has(at)).map((at) => this.remove(at)),
      ...[...wanted].map((at) => this.insert(at)),
    ]);
  }

  /** The kernel function a site calls: its direct callee, or the step function its register holds (none: not a step). */
  private calleeOf(site: ModuleSite, registers: X86Registers): string | undefined {
    return "function" in site.callee
      ? site.callee.function
      : this.stepFunctions.get(registers[site.callee.register]);
  }

  private async onCall(client: RspClient, site: ModuleSite, registers: X86Registers): Promise<void> {
    const name = this.calleeOf(site, registers);
    // An indirect call on a step line to something else (or a NULL ops' function: the oops comes).
    if (!name) return;
    const { module, variant, cLine } = site;
    // Held (step mode): the pause shows the guest's clock and the socket. Traced only: the line and
    // the result are all the page shows, and each read is a round trip to the stub.
    const holds = this.options.holds(module);
    const call: KernelCall = { module, variant, function: name, cLine };
    // sock_create_kern's socket is its result (*res); every other call's is its first argument.
    const resultSocket = holds && name === "sock_create_kern" ? registers.r8 : undefined;
    const readsSocket =
      holds && !resultSocket && name !== "kthread_create_on_node" && name !== "sock_create_kern";
    const moves = name === "kernel_recvmsg" || name === "kernel_sendmsg";
    // The stop's reads asked for together: one round trip to the stub, not one each. Traced only,
    // they go out with the call's writes and the resume, and the enter is told once they are in.
    const reads = Promise.all([
      holds ? this.uptime(client) : undefined,
      readsSocket ? this.socketAt(client, registers.rdi) : undefined,
      this.frameAt(client, name, registers),
      // Without the call view no frame brings the kvec: its own read, in the same exchange.
      moves && !this.options.callFrames ? this.kvec(client, registers.rdx) : undefined,
    ]).then(async ([uptime, socket, entry, vec]) => {
      if (uptime !== undefined) call.uptime = uptime;
      if (socket) call.socket = socket;
      if (entry) call.frame = entry.frame;
      // The buffer to read at the return: from the frame's kvec when it was read, else one read of its own.
      const buffer = moves
        ? (vec ??
          kvecBuffer(entry, this.options.layout.calls.kvec) ??
          (await this.kvec(client, registers.rdx)))
        : undefined;
      return { entry, buffer };
    });
    if (holds) {
      await reads;
      this.tell();
      this.options.onWaiting(call);
      await new Promise<void>((release) => {
        this.waiting = { module, release };
      });
      if (this.ended) return;
      this.options.onEnter(call);
    }
    // The call, made by hand: the return address pushed as `call` would, a read watchpoint on its
    // stack slot (the callee's `ret` reads it: the guest stops at the instruction after the call, at
    // this depth), and the guest goes on in the callee. No single step, no breakpoint set or lifted,
    // and the return's stop is a watchpoint's: QEMU 7.2 flushes TCG's whole translation cache at
    // every breakpoint stop, not at a watchpoint's, so the guest's code stays translated across it.
    const callee =
      "function" in site.callee
        ? (this.options.symbols.get(name) ?? (await this.directTarget(client, site.at)))
        : registers[site.callee.register];
    if (callee === undefined) {
      const { entry, buffer } = await reads;
      this.tell();
      if (!holds) this.options.onEnter(call);
      await this.insert(site.returnsTo);
      this.returns.set(site.returnsTo, [
        ...(this.returns.get(site.returnsTo) ?? []),
        { call, returnsTo: site.returnsTo, rsp: registers.rsp, resultSocket, buffer, entry },
      ]);
      return;
    }
    const returnAddress = Buffer.alloc(8);
    returnAddress.writeBigUInt64LE(site.returnsTo);
    const rsp = registers.rsp - 8n;
    // Not awaited: they go out with the resume that follows, in one exchange with the stub.
    const writes = Promise.all([
      client.writeMemory(rsp, returnAddress),
      client.writeRegister("rsp", rsp),
      client.setReadWatchpoint(rsp, RETURN_SLOT),
    ]);
    // The run loop awaits them with the resume; a stepper ended first (the VM gone, the tab closed)
    // never does, and their rejection must not go unhandled in the app.
    writes.catch(() => {});
    this.writes = writes;
    const pending: PendingReturn = {
      call,
      returnsTo: site.returnsTo,
      rsp: registers.rsp,
      resultSocket,
      watch: rsp,
    };
    this.returns.set(site.returnsTo, [...(this.returns.get(site.returnsTo) ?? []), pending]);
    this.resumeAt = callee;
    const told = reads.then(({ entry, buffer }) => {
      if (entry) pending.entry = entry;
      if (buffer) pending.buffer = buffer;
      // A return read at this stop goes first, if the resume has not told it yet.
      this.tell();
      if (!holds) this.options.onEnter(call);
    });
    // Awaited at the next stop (a read the stub refused ends the stepper there), never unhandled.
    told.catch(() => {});
    this.entering = told;
  }

  /** Where a `call rel32` at `at` goes: read from the guest, as the module loader relocated it. */
  private async directTarget(client: RspClient, at: bigint): Promise<bigint | undefined> {
    const bytes = await client.readMemory(at, CALL_LENGTH);
    if (bytes[0] !== 0xe8) return undefined;
    return BigInt.asUintN(64, at + BigInt(CALL_LENGTH) + BigInt(bytes.readInt32LE(1)));
  }

  /** The return `slot`'s watchpoint stands for, if one does: its reads, sent before `g` is answered. */
  private readReturnEarly(client: RspClient, slot: bigint): EarlyReturnReads | undefined {
    for (const pending of this.returns.values()) {
      const ret = pending.find((p) => p.watch === slot);
      if (!ret) continue;
      const reads = this.returnReads(client, ret);
      // Not the return after all (something else read the slot): dropped, never unhandled.
      reads.catch(() => {});
      return { pending: ret, reads };
    }
    return undefined;
  }

  /** What a call's return shows, read while the guest is still stopped there: one round trip (two for *res's socket). */
  private returnReads(client: RspClient, pending: PendingReturn) {
    const { resultSocket, entry, buffer, call } = pending;
    const shown = call.socket;
    return Promise.all([
      call.uptime !== undefined ? this.uptime(client) : undefined,
      resultSocket
        ? client.readU64(resultSocket).then((at) => this.socketAt(client, at))
        : shown && shown.address !== "0"
          ? this.socketAt(client, BigInt(`0x${shown.address}`))
          : undefined,
      entry
        ? readFrameAfter(client, entry, this.options.layout.calls, (at) => this.symbolNames.get(at))
        : undefined,
      // The whole buffer, read before the result is known; what the call moved is cut from it.
      buffer && buffer.size > 0
        ? client.readMemory(buffer.at, Math.min(buffer.size, MAX_DATA)).catch(() => undefined)
        : undefined,
    ] as const);
  }

  private async onReturn(
    client: RspClient,
    pending: PendingReturn,
    registers: X86Registers,
    early?: ReturnType<KernelStepper["returnReads"]>,
  ): Promise<void> {
    const result = Number(BigInt.asIntN(32, registers.rax));
    const call: KernelCall = { ...pending.call };
    const { buffer } = pending;
    const [uptime, socket, frame, whole] = await (early ?? this.returnReads(client, pending));
    if (uptime !== undefined) call.uptime = uptime;
    if (socket) call.socket = socket;
    if (frame) call.frame = frame;
    const bytes = whole && result > 0 ? whole.subarray(0, Math.min(result, whole.length)) : undefined;
    const data: KernelReturn["data"] = buffer && bytes ? { bytes, bufferSize: buffer.size } : undefined;
    // Told once the guest runs on (or before a pause): the event waits for no exchange with the stub.
    this.toTell.push(() => this.options.onReturn({ ...call, result, data }));
  }

  /**
   * A call or return the plugin saw while the guest ran on: the same events a breakpoint's stop
   * gives, read from the memory the plugin copied at that instruction (no stop, no stub).
   */
  private async onTraced(event: TracedEvent): Promise<void> {
    if (this.ended) return;
    const { registers, memory } = event;
    if (event.kind === "return") {
      const key = `${event.at}:${registers.rsp}`;
      const pending = this.traced.get(key);
      if (!pending) return;
      this.traced.delete(key);
      const result = Number(BigInt.asIntN(32, registers.rax));
      const { entry, buffer } = pending;
      const call: KernelCall = { ...pending.call };
      if (entry)
        call.frame = await readFrameAfter(memory, entry, this.options.layout.calls, (at) =>
          this.symbolNames.get(at),
        );
      const length = buffer && result > 0 ? Math.min(result, buffer.size, MAX_DATA) : 0;
      const bytes = buffer && length > 0 ? memory.slice(buffer.at, length) : undefined;
      const data = buffer && bytes ? { bytes: Buffer.from(bytes), bufferSize: buffer.size } : undefined;
      trace(`traced return ${call.function} ${result}`);
      this.options.onReturn({ ...call, result, data });
      return;
    }
    const site = this.sites.get(event.at);
    if (!site) return;
    const name = this.calleeOf(site, registers);
    if (!name) return;
    const { module, variant, cLine } = site;
    const call: KernelCall = { module, variant, function: name, cLine };
    const entry = await this.frameAt(memory, name, registers);
    if (entry) call.frame = entry.frame;
    const moves = KVEC_ARGUMENT[name] !== undefined;
    const buffer = moves
      ? (kvecBuffer(entry, this.options.layout.calls.kvec) ??
        (await this.kvec(memory, registers.rdx).catch(() => undefined)))
      : undefined;
    this.traced.set(`${site.returnsTo}:${registers.rsp}`, { call, entry, buffer });
    trace(`traced call ${name} line ${cLine}`);
    this.options.onEnter(call);
  }

  /** The call view's frame at the call site (none when the release or the function has no signature here). */
  private async frameAt(client: MemoryReader, name: string, registers: X86Registers) {
    const series = this.options.callFrames;
    if (!series) return undefined;
    return readCallFrame(client, name, series, registers, this.options.layout.calls, (at) =>
      this.symbolNames.get(at),
    );
  }

  private async uptime(client: RspClient): Promise<number> {
    const at = this.options.symbols.get("jiffies_64");
    if (at === undefined) return 0;
    const { hz, initialJiffies } = this.options.layout;
    const jiffies = await client.readU64(at);
    return Number(BigInt.asUintN(64, jiffies - initialJiffies)) / hz;
  }

  private async socketAt(client: RspClient, address: bigint): Promise<KernelSocket> {
    if (address === 0n) return { address: "0" };
    const { socket } = this.options.layout;
    const bytes = await client.readMemory(address, socket.size);
    return decodeSocket(address, bytes, socket, (at) => this.symbolNames.get(at));
  }

  /** A `struct kvec *` argument: { iov_base, iov_len }. */
  private async kvec(client: MemoryReader, vec: bigint): Promise<{ at: bigint; size: number } | undefined> {
    if (vec === 0n) return undefined;
    const bytes = await client.readMemory(vec, 16);
    return { at: bytes.readBigUInt64LE(0), size: Number(bytes.readBigUInt64LE(8)) };
  }
}
