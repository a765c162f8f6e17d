import type net from "node:net";
import type { LabEvent, ModuleState, ServerEvent } from "../../shared/protocol.ts";
import { type PrintkArg, vsprintf } from "../../shared/printk.ts";
import { printkLine } from "../../shared/stepLines.ts";
import { type ModuleName, type StepId, VOID_STEPS, type Variant } from "../../shared/steps.ts";
import { errnoName, negativeErrno, strerror } from "./errno.ts";
import type { Kernel } from "./kernelApi.ts";
import { type ListingSource, listings } from "./listingSources.ts";
import { MODULE_IMPLS } from "./moduleTable.ts";

export type LabOptions = {
  port: number;
  emit: (event: ServerEvent) => void;
  variant?: Variant;
};

type Thread = { stop: boolean; done: Promise<void> };

/** One loaded (or loading) instance of a module: its state, statics, threads and step gate. */
type ModuleSlot = {
  state: ModuleState;
  variant: Variant;
  statics?: object;
  threads: Map<string, Thread>;
  waiter?: { resolve: () => void; reject: (err: Error) => void };
  runToEnd: boolean;
};

/** Thrown into a module's pending calls when its session ends, so nothing of it runs on. */
export class LabDisposed extends Error {}

/**
 * The lab kernel of one session: a module table with insmod/rmmod semantics, one gate for every
 * kernel call (recorded, held in step mode, errno captured), one log, and the sockets it owns.
 */
export class LabKernel {
  readonly loopback = "127.0.0.1";
  readonly port: number;
  variant: Variant;
  stepMode = false;
  private readonly t0 = performance.now();
  private seq = 0;
  private disposed = false;
  private readonly emitEvent: (event: ServerEvent) => void;
  private readonly resources = new Set<net.Server | net.Socket>();
  private readonly slots: Record<ModuleName, ModuleSlot>;

  constructor(options: LabOptions) {
    this.port = options.port;
    this.emitEvent = options.emit;
    this.variant = options.variant ?? "published";
    this.slots = { server: this.freshSlot(), client: this.freshSlot() };
  }

  moduleState(module: ModuleName): ModuleState {
    return this.slots[module].state;
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
      ret = await impl.init(this.kernelFor(module, slot));
    } catch (err) {
      if (err instanceof LabDisposed || this.disposed) return;
      throw err;
    }
    if (this.disposed) return;
    if (ret < 0) {
      this.console(`insmod: ERROR: could not insert module ${module}.ko: ${strerror(ret)}`);
      this.setState(module, slot, "failed", ret);
      return;
    }
    if (ret > 0) {
      // do_init_module() in kernel/module/main.c loads the module anyway, with this warning.
      this.log("kernel", `do_init_module: '${module}'->init suspiciously returned ${ret}, it should follow 0/-E convention\n`);
      this.log("kernel", "do_init_module: loading module anyway...\n");
    }
    this.setState(module, slot, "live", ret);
  }

  async rmmod(module: ModuleName): Promise<void> {
    this.console(`$ rmmod ${module}`);
    const slot = this.slots[module];
    if (slot.state === "loading") {
      // delete_module() refuses a module whose init has not returned (its state is not LIVE).
      this.console(`rmmod: ERROR: could not remove module ${module}: ${strerror(-16)}`);
      return;
    }
    if (slot.state !== "live") {
      this.console(`rmmod: ERROR: Module ${module} is not currently loaded`);
      return;
    }
    slot.runToEnd = !this.stepMode;
    const impl = MODULE_IMPLS[slot.variant]?.[module];
    try {
      await impl?.exit(this.kernelFor(module, slot));
      await Promise.all([...slot.threads.values()].map((thread) => thread.done));
    } catch (err) {
      if (err instanceof LabDisposed || this.disposed) return;
      throw err;
    }
    if (this.disposed) return;
    this.setState(module, slot, "unloaded");
  }

  setStepMode(enabled: boolean): void {
    this.stepMode = enabled;
    if (!enabled) for (const module of ["server", "client"] as const) this.stepNext(module);
  }

  stepNext(module: ModuleName): void {
    const slot = this.slots[module];
    const waiter = slot.waiter;
    slot.waiter = undefined;
    waiter?.resolve();
  }

  stepContinue(module: ModuleName): void {
    this.slots[module].runToEnd = true;
    this.stepNext(module);
  }

  /** Closes every socket the session's modules opened, leaked ones included, and stops all threads. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const slot of Object.values(this.slots)) {
      for (const thread of slot.threads.values()) thread.stop = true;
      slot.waiter?.reject(new LabDisposed());
      slot.waiter = undefined;
    }
    for (const resource of this.resources) {
      if ("destroy" in resource) resource.destroy();
      else resource.close();
    }
    this.resources.clear();
  }

  private freshSlot(): ModuleSlot {
    return { state: "unloaded", variant: this.variant, threads: new Map(), runToEnd: false };
  }

  private now(): number {
    return (performance.now() - this.t0) / 1000;
  }

  private emit(event: DistributiveOmit<LabEvent, "seq" | "t">): void {
    if (this.disposed) return;
    this.emitEvent({ ...event, seq: ++this.seq, t: this.now() } as LabEvent);
  }

  private console(text: string): void {
    this.emit({ type: "console", text });
  }

  private log(source: ModuleName | "kernel", text: string, lines?: { cLine?: number; tsLine?: number }): void {
    this.emit({ type: "printk", source, text, ...lines });
  }

  private setState(module: ModuleName, slot: ModuleSlot, state: ModuleState, initResult?: number): void {
    slot.state = state;
    this.emit({ type: "module.state", module, state, variant: slot.variant, initResult });
  }

  private source(module: ModuleName, slot: ModuleSlot): ListingSource {
    const source = listings()[slot.variant]?.[module];
    if (!source) throw new Error(`no ${slot.variant} listing for ${module}`);
    return source;
  }

  private kernelFor(module: ModuleName, slot: ModuleSlot): Kernel {
    const source = this.source(module, slot);
    const adopt = (resource: net.Server | net.Socket) => {
      if (this.disposed) {
        if ("destroy" in resource) resource.destroy();
        else resource.close();
        return;
      }
      this.resources.add(resource);
      resource.once("close", () => this.resources.delete(resource));
    };
    return {
      loopback: this.loopback,
      port: this.port,
      adopt,
      call: (step, fn) => this.call(module, slot, source, step, fn),
      printk: (fmt: string, ...args: PrintkArg[]) => {
        const lines = { cLine: printkLine(source.cText, fmt), tsLine: printkLine(source.tsText, fmt) };
        this.log(module, vsprintf(fmt, args), lines);
      },
      spawn: (name, thread) => {
        const state: Thread = { stop: false, done: Promise.resolve() };
        state.done = thread(() => state.stop || this.disposed).catch((err: unknown) => {
          if (!(err instanceof LabDisposed) && !this.disposed) throw err;
        });
        slot.threads.set(name, state);
      },
      stopThread: async (name) => {
        const thread = slot.threads.get(name);
        if (!thread) return;
        thread.stop = true;
        await thread.done;
      },
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
  ): Promise<number> {
    const lines = source.map.byStep[step];
    if (!lines) throw new Error(`${slot.variant} ${module} has no step ${step}`);
    const at = { module, variant: slot.variant, step, ...lines };
    if (this.stepMode && !slot.runToEnd) {
      this.emit({ type: "step.waiting", ...at });
      await new Promise<void>((resolve, reject) => {
        slot.waiter = { resolve, reject };
      });
    }
    if (this.disposed) throw new LabDisposed();
    this.emit({ type: "step", ...at, phase: "enter", result: null });
    let result: number;
    let errno: string | undefined;
    try {
      result = await fn();
    } catch (err) {
      ({ result, name: errno } = negativeErrno(err));
    }
    if (this.disposed) throw new LabDisposed();
    if (result < 0) errno ??= errnoName(result);
    this.emit({ type: "step", ...at, phase: "exit", result: VOID_STEPS.has(step) ? null : result, errno });
    return result;
  }
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
