import type net from "node:net";
import { MAX_DATA_BYTES, type ModuleState } from "../../shared/protocol/messages.ts";
import {
  KERN_SOH,
  KERN_WARNING_LEVEL,
  type PrintkArg,
  printkRecordText,
  splitPrintkLevel,
} from "../../shared/kernelLog/printk.ts";
import { printkLine } from "../../shared/listings/stepLines.ts";
import { DEFAULT_SERIES } from "../../shared/releases/kernelSeries.ts";
import { initWarningFor } from "../../shared/releases/initWarningByRelease.ts";
import { printkLimit } from "../../shared/releases/releaseFacts.ts";
import { type ModuleName, type StepId, VOID_STEPS, type Variant } from "../../shared/protocol/steps.ts";
import { errnoName, negativeErrno, strerror } from "./errno.ts";
import { LAB_LOOPBACK, LabAddressRefused } from "./labAddress.ts";
import type { CallIo, Kernel } from "./kernelApi.ts";
import { type ListingSource, listings } from "./listingSources.ts";
import { MODULE_IMPLS } from "./moduleTable.ts";
import { twinCallFrame } from "./twinCallFrame.ts";
import { DEFAULT_LAB_SOCKET_LIMIT, LabSocketLimit, NO_MORE_SOCKETS_PRINTK } from "./socketLimit.ts";
import type { Engine, StepControls } from "../engine/engine.ts";
import type { EngineLog, EventStamper, LabEventBody } from "../engine/eventStamper.ts";
import { Disposed, Lifecycle } from "../engine/lifecycle.ts";
import { resetNodeLab } from "./labReset.ts";
import { labSocketBudget } from "./socketBudget.ts";
import { OverflowNotice } from "./overflowNotice.ts";
import { TcpStatePoller } from "../kernelTruth/tcpStatePoller.ts";

export type LabOptions = {
  port: number;
  /** The session's numbering, shared with any other engine the session runs. */
  stamper: EventStamper;
  variant?: Variant;
  /** Sockets the lab's modules may hold open at once; past it sock_create_kern fails with -ENFILE. */
  socketLimit?: number;
  /** The clock's zero (performance.now()): a lab started in place of another keeps its clock. */
  startedAt?: number;
  /** The kernel release the learner picked (a series): the kernel's own messages take its wording. */
  release?: string;
};

type Thread = { stop: boolean; done: Promise<void> };

/** One loaded (or loading) instance of a module: its state, statics, threads and step gate. */
type ModuleSlot = {
  state: ModuleState;
  variant: Variant;
  statics?: object;
  threads: Map<string, Thread>;
  /** Calls held by step mode, oldest first: init and a kthread of the module may both wait. */
  waiters: Array<{ resolve: () => void; reject: (err: Error) => void }>;
  /** Wake-ups of threads sleeping in k.sleep (schedule_timeout_interruptible). */
  sleepers: Set<() => void>;
  runToEnd: boolean;
  /** The call the module is in (waiting before it or running it), for saying where it is stuck. */
  inCall?: StepId;
};

/**
 * The lab kernel of one session: a module table with insmod/rmmod semantics, one gate for every
 * kernel call (recorded, held in step mode, errno captured), one log, and the sockets it owns.
 */
export class LabKernel implements Engine, StepControls {
  readonly kind = "node";
  readonly keepsStateWhenHidden = true;
  readonly onHostPorts = true;
  readonly stepping: StepControls = this;
  readonly loopback = LAB_LOOPBACK;
  readonly port: number;
  readonly socketLimit: number;
  variant: Variant;
  stepMode = false;
  /** The release whose wording the lab kernel's own messages take (the init warning), 6.1 by default. */
  release: string;
  /** The lab's clock zero (performance.now()), the printk stamps' 0.000000. */
  readonly startedAt: number;
  private readonly stamper: EventStamper;
  /**
   * Everything the lab opens (sockets, sleeps' timers, the poller, the log) and every pending kernel
   * call registers here: dispose() ends it, and a module's pending calls reject with Disposed, so
   * nothing of it runs on.
   */
  private readonly life = new Lifecycle();
  private readonly log: EngineLog;
  private readonly resources = new Set<net.Server | net.Socket>();
  private readonly slots: Record<ModuleName, ModuleSlot>;
  /** The kernel's own view of the lab's sockets (/proc/net/tcp), polled while the lab is active. */
  private readonly tcpStates: TcpStatePoller;
  /** Says, at most once a second, that a listener's accept queue (or the socket cap) is full. */
  private readonly overflowNotice = new OverflowNotice((message) =>
    this.life.disposed ? undefined : this.log.notice({ type: "error", code: "accept-queue-full", message }),
  );

  constructor(options: LabOptions) {
    this.port = options.port;
    this.socketLimit = options.socketLimit ?? DEFAULT_LAB_SOCKET_LIMIT;
    this.startedAt = options.startedAt ?? performance.now();
    this.stamper = options.stamper;
    this.log = options.stamper.log(() => this.now(), "node");
    // Closed as the lab's end begins, before anything is released: nothing a release sets off is sent.
    this.life.signal.addEventListener("abort", () => this.log.close(), { once: true });
    this.variant = options.variant ?? "published";
    this.release = options.release ?? DEFAULT_SERIES;
    this.slots = { server: this.freshSlot(), client: this.freshSlot() };
    labSocketBudget.labOpened();
    this.life.onDispose(() => labSocketBudget.labClosed());
    this.tcpStates = this.life.add(
      new TcpStatePoller({
        port: this.port,
        emit: (snapshot) => this.emit({ type: "tcp.state", ...snapshot }),
      }),
    );
  }

  announce(): void {
    this.log.notice({ type: "engine", engine: "node", status: "ready" });
  }

  selectVariant(variant: Variant): string | undefined {
    if (!listings()[variant]) return `the ${variant} listing is not available`;
    this.variant = variant;
    return undefined;
  }

  moduleState(module: ModuleName): ModuleState {
    return this.slots[module].state;
  }

  /** Any release the lab names: the Node lab builds nothing, it only speaks that release's wording. */
  selectRelease(release: string): string | undefined {
    this.release = release;
    return undefined;
  }

  async insmod(module: ModuleName): Promise<void> {
    this.console(`$ insmod ${module}.ko`);
    const previous = this.slots[module];
    if (previous.state === "loading" || previous.state === "live") {
      this.console(`insmod: ERROR: could not insert module ${module}.ko: ${strerror(-17)}`);
      return;
    }
    const slot = this.freshSlot();
    this.slots[module] = slot;
    this.setState(module, slot, "loading");
    const impl = MODULE_IMPLS[slot.variant]?.[module];
    if (!impl) throw new Error(`no ${slot.variant} ${module} module`);
    let ret: number;
    try {
      ret = await this.life.guard(impl.init(this.kernelFor(module, slot)));
    } catch (err) {
      if (err instanceof Disposed) return;
      throw err;
    }
    if (ret < 0) {
      this.console(`insmod: ERROR: could not insert module ${module}.ko: ${strerror(ret)}`);
      this.setState(module, slot, "failed", ret);
      return;
    }
    if (ret > 0) {
      // do_init_module() loads the module anyway, with one pr_warn record of two lines (v6.1; one
      // line from v7.1). Its dump_stack() is not imitated: the lab has no kernel stack to show.
      const fill = { __func__: "do_init_module", "mod->name": module, ret };
      // The wording of the release the learner picked (7.x: one line); the lab's default is 6.1's.
      const warning = initWarningFor(this.release);
      this.printk(
        "kernel",
        printkRecordText(
          `${KERN_SOH}${KERN_WARNING_LEVEL}${warning.lines.join("")}`,
          warning.args.map((arg) => fill[arg]),
        ),
        { level: KERN_WARNING_LEVEL },
      );
    }
    this.setState(module, slot, "live", ret);
  }

  /** `runToEnd`: exit runs without step-mode pauses (Reset the lab unloads in one go). */
  async rmmod(module: ModuleName, options: { runToEnd?: boolean } = {}): Promise<void> {
    this.console(`$ rmmod ${module}`);
    const slot = this.slots[module];
    if (slot.state === "loading") {
      // kmod's rmmod reads /sys/module/<name>/refcnt first: the loader holds a reference until init
      // returns (module_unload_init(), do_init_module(), v6.1), so it refuses without calling
      // delete_module() (kmod tools/rmmod.c check_module_inuse()). delete_module() itself would
      // answer -EBUSY, the module not being LIVE: that is what busybox's rmmod shows.
      this.console(`rmmod: ERROR: Module ${module} is in use`);
      return;
    }
    if (slot.state !== "live") {
      this.console(`rmmod: ERROR: Module ${module} is not currently loaded`);
      return;
    }
    slot.runToEnd = options.runToEnd === true || !this.stepMode;
    const impl = MODULE_IMPLS[slot.variant]?.[module];
    try {
      await this.life.guard(
        (async () => {
          await impl?.exit(this.kernelFor(module, slot));
          await Promise.all([...slot.threads.values()].map((thread) => thread.done));
        })(),
      );
    } catch (err) {
      if (err instanceof Disposed) return;
      throw err;
    }
    this.setState(module, slot, "unloaded");
  }

  /**
   * Reset the lab (see resetNodeLab): unloads what rmmod can; a lab with a module the kernel would
   * not unload is ended, and the fresh one on the same port, clock and numbering is returned.
   */
  reset(): Promise<Engine> {
    return resetNodeLab(this, () => {
      const fresh = new LabKernel({
        port: this.port,
        stamper: this.stamper,
        variant: this.variant,
        startedAt: this.startedAt,
        socketLimit: this.socketLimit,
        release: this.release,
      });
      fresh.setStepMode(this.stepMode);
      return fresh;
    });
  }

  /**
   * The call a module whose init has not returned is in, and whether step mode holds it before
   * that call (nothing when the module is not loading).
   */
  stuckIn(module: ModuleName): { call?: StepId; held?: boolean } {
    const slot = this.slots[module];
    if (slot.state !== "loading") return {};
    return { call: slot.inCall, held: slot.waiters.length > 0 };
  }

  /** A record of the kernel's own (not a module's), e.g. what Reset the lab had to do. */
  kernelNotice(text: string): void {
    this.printk("kernel", text, { level: KERN_WARNING_LEVEL });
  }

  /** Tells the browser both modules are unloaded: a lab started in place of another has none loaded. */
  announceUnloaded(): void {
    for (const module of ["server", "client"] as const) this.setState(module, this.slots[module], "unloaded");
  }

  setStepMode(enabled: boolean): void {
    this.stepMode = enabled;
    if (!enabled) for (const module of ["server", "client"] as const) this.stepNext(module);
  }

  stepNext(module: ModuleName): void {
    const slot = this.slots[module];
    slot.waiters.shift()?.resolve();
  }

  stepContinue(module: ModuleName): void {
    this.slots[module].runToEnd = true;
    this.stepNext(module);
  }

  /** Closes every socket the session's modules opened, leaked ones included, and stops all threads. */
  dispose(): void {
    this.life.dispose();
  }

  private freshSlot(): ModuleSlot {
    return {
      state: "unloaded",
      variant: this.variant,
      threads: new Map(),
      waiters: [],
      sleepers: new Set(),
      runToEnd: false,
    };
  }

  private now(): number {
    return (performance.now() - this.startedAt) / 1000;
  }

  private emit(event: LabEventBody): void {
    this.log.emit(event);
  }

  private console(text: string): void {
    this.emit({ type: "console", text });
  }

  private printk(
    source: ModuleName | "kernel",
    text: string,
    at?: { cLine?: number; tsLine?: number; level?: number },
  ): void {
    this.emit({ type: "printk", source, text, ...at });
  }

  private setState(module: ModuleName, slot: ModuleSlot, state: ModuleState, initResult?: number): void {
    slot.state = state;
    this.emit({ type: "module.state", module, state, variant: slot.variant, initResult });
    this.updateActivity();
  }

  /** Active: a module is loading or live, or a lab socket is still open (a leaked one included). */
  private updateActivity(): void {
    const moduleActive = Object.values(this.slots).some(
      (slot) => slot.state === "loading" || slot.state === "live",
    );
    const socketOpen = [...this.resources].some((r) => ("destroyed" in r ? !r.destroyed : r.listening));
    this.tcpStates.setActive(moduleActive || socketOpen);
  }

  private source(module: ModuleName, slot: ModuleSlot): ListingSource {
    const source = listings()[slot.variant]?.[module];
    if (!source) throw new Error(`no ${slot.variant} listing for ${module}`);
    return source;
  }

  private kernelFor(module: ModuleName, slot: ModuleSlot): Kernel {
    const source = this.source(module, slot);
    const adopt = (resource: net.Server | net.Socket) => {
      this.life.socket(resource);
      this.resources.add(resource);
      labSocketBudget.take();
      resource.once("close", () => {
        labSocketBudget.give();
        this.resources.delete(resource);
        this.updateActivity();
      });
      this.updateActivity();
    };
    const resources = this.resources;
    const limit = this.socketLimit;
    return {
      loopback: this.loopback,
      port: this.port,
      get openSockets() {
        return resources.size;
      },
      get socketLimit() {
        return labSocketBudget.capFor(resources.size, limit);
      },
      adopt,
      acceptOverflow: (overflow) => this.overflowNotice.refused(overflow),
      call: (step, fn, io) => this.call(module, slot, source, step, fn, io),
      printk: (fmt: string, ...args: PrintkArg[]) => {
        // The format is found on its line without its KERN_ prefix, as it is written in the C.
        const { level, body } = splitPrintkLevel(fmt);
        const at = { cLine: printkLine(source.cText, body), tsLine: printkLine(source.tsText, body), level };
        // The whole format: its level prefix takes room in the record before the kernel strips it.
        // The record's size is the picked release's (992 bytes on 6.1, 1024 from 6.3).
        this.printk(module, printkRecordText(fmt, args, printkLimit(this.release).lineMax), at);
      },
      spawn: (name, thread) => {
        const state: Thread = { stop: false, done: Promise.resolve() };
        // kthread_should_stop() is true from the lab's end on, and the thread's own end is not awaited.
        const forget = this.life.onDispose(() => {
          state.stop = true;
        });
        state.done = this.life.guard(thread(() => state.stop)).then(forget, (err: unknown) => {
          forget();
          if (!(err instanceof Disposed)) throw err;
        });
        slot.threads.set(name, state);
      },
      stopThread: async (name) => {
        const thread = slot.threads.get(name);
        if (!thread) return;
        thread.stop = true;
        for (const wake of [...slot.sleepers]) wake();
        await thread.done;
      },
      sleep: (ms) =>
        new Promise<void>((resolve) => {
          // Woken by its timer, by kthread_stop (sleepers), or by the lab's end (at once if it has ended).
          let cancel = () => {};
          let forget = () => {};
          const wake = () => {
            cancel();
            forget();
            slot.sleepers.delete(wake);
            resolve();
          };
          slot.sleepers.add(wake);
          cancel = this.life.timeout(wake, ms);
          forget = this.life.onDispose(wake);
        }),
      statics: <T extends object>(init: () => T): T => {
        slot.statics ??= init();
        return slot.statics as T;
      },
    };
  }

  private async call(
    module: ModuleName,
    slot: ModuleSlot,
    source: ListingSource,
    step: StepId,
    fn: () => number | Promise<number>,
    io?: CallIo,
  ): Promise<number> {
    const lines = source.map.byStep[step];
    if (!lines) throw new Error(`${slot.variant} ${module} has no step ${step}`);
    const at = { module, variant: slot.variant, step, ...lines };
    // A module that calls on after its lab ended (a thread woken by the end) gets Disposed, not a call.
    this.life.signal.throwIfAborted();
    slot.inCall = step;
    const twin = io?.twin;
    const frame = () => (twin ? twinCallFrame(slot.variant, step, twin()) : undefined);
    const call = frame();
    if (this.stepMode && !slot.runToEnd) {
      this.emit({ type: "step.waiting", ...at, call });
      await this.life.guard(
        new Promise<void>((resolve, reject) => {
          slot.waiters.push({ resolve, reject });
        }),
      );
    }
    this.emit({ type: "step", ...at, phase: "enter", result: null, call });
    let result: number;
    let errno: string | undefined;
    try {
      result = await this.life.guard((async () => fn())());
    } catch (err) {
      if (err instanceof Disposed) throw err;
      ({ result, name: errno } = negativeErrno(err));
      // The errno alone (-EACCES) would not say why: tell the learner which address was refused.
      if (err instanceof LabAddressRefused)
        this.log.notice({ type: "error", code: "refused", message: err.message });
      // The kernel's own warning, then the reason and the way out for the learner.
      if (err instanceof LabSocketLimit) {
        this.printk("kernel", NO_MORE_SOCKETS_PRINTK, { level: KERN_WARNING_LEVEL });
        this.log.notice({ type: "error", code: "socket-limit", message: err.message });
      }
    }
    if (slot.inCall === step) slot.inCall = undefined;
    if (result < 0) errno ??= errnoName(result);
    const data = io?.buffer && result > 0 ? stepData(io.buffer, result) : undefined;
    this.emit({
      type: "step",
      ...at,
      phase: "exit",
      result: VOID_STEPS.has(step) ? null : result,
      errno,
      data,
      call: frame(),
    });
    return result;
  }
}

/** The bytes a call moved (the first `length` of its buffer), capped so a step's frame stays small. */
function stepData(buffer: Uint8Array, length: number) {
  const moved = buffer.subarray(0, Math.min(length, MAX_DATA_BYTES, buffer.length));
  return { base64: Buffer.from(moved).toString("base64"), length, bufferSize: buffer.length };
}
