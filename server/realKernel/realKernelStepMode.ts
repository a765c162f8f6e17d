import { type ModuleName, type StepId, VOID_STEPS, type Variant } from "../../shared/protocol/steps.ts";
import type { StepControls } from "../engine/engine.ts";
import type { LabEventBody } from "../engine/eventStamper.ts";
import { errnoName } from "../lab/errno.ts";
import { listings } from "../lab/listingSources.ts";
import { realKernelAvailability } from "./availability.ts";
import { seriesOf } from "../../shared/releases/kernelSeries.ts";
import { kernelLayout } from "./gdb/kernelLayout.ts";
import {
  type ExpectedModule,
  type KernelCall,
  type KernelReturn,
  KernelStepper,
} from "./gdb/kernelStepper.ts";
import { parseKallsyms } from "./gdb/kernelSymbols.ts";
import { trace } from "./gdb/stepTrace.ts";
import type { StepLineMap } from "../../shared/listings/stepLines.ts";
import type { KernelSocket } from "./gdb/socketView.ts";
import type { CallTracerChannel } from "./callTracer/callTracerChannel.ts";

type Emit = (event: LabEventBody, usec?: number) => void;

export type StepModeVm = {
  gdbSocket: string;
  /** The call-tracer plugin in the VM's QEMU, if it was loaded (traces calls without stopping the VM). */
  callTracer?: CallTracerChannel;
  running: boolean;
  /** Runs the init's "syms" command: the /proc/kallsyms lines of the symbols the stepper needs. */
  kallsyms: () => Promise<string[]>;
};

export type RealKernelStepModeOptions = {
  emit: Emit;
  console: (text: string) => void;
  /** The engine's VM while it runs and takes commands. */
  vm: () => StepModeVm | undefined;
  /**
   * The debugger lost a VM that is still running (its stub stopped answering): the VM may be left
   * stopped for good, so the engine powers it off.
   */
  lost: () => void;
  /** The kernel release the engine's VM runs (its symbols and struct layout are that release's). */
  release?: () => string | undefined;
};

/**
 * Every run is traced, whether step mode is on or not: each call lights its line with its real
 * result, as the Node lab's do (out of step mode through the call-tracer plugin, or the call sites'
 * breakpoints when it is not loaded; in step mode through the breakpoints). REAL_KERNEL_TRACE=off
 * runs the modules without a debugger or plugin, as the bench's untraced baseline. Step mode only
 * adds the wait.
 */
export function realKernelTracing(): boolean {
  return process.env.REAL_KERNEL_TRACE !== "off";
}

/**
 * The call view's reads (each call's arguments from guest memory, at the call and its return);
 * REAL_KERNEL_CALL_VIEW=off leaves them out, as the bench's baseline for what they cost.
 */
export function callFramesOn(): boolean {
  return process.env.REAL_KERNEL_CALL_VIEW !== "off";
}

/** How long after the debugger's connection ends the VM must still be running to count as lost. */
const LOST_GRACE_MS = 1000;

/**
 * The listing step whose C call is on `cLine`, and the TS twin's line. `steps`: a learner's build's
 * own map, which replaces the listing's.
 */
function stepAt(module: ModuleName, variant: Variant, cLine: number, steps?: StepLineMap) {
  const map = steps ?? listings()[variant]?.[module]?.map;
  if (!map) return undefined;
  for (const [step, lines] of Object.entries(map.byStep)) {
    if (lines && lines.cLine === cLine) return { step: step as StepId, ...lines };
  }
  return undefined;
}

/** The C text of the call's socket argument on its listing line: `sock`, `client_sock`, `&sock` → `sock`. */
function argumentName(cText: string | undefined, cLine: number, last: boolean): string {
  const line = cText?.split("\n")[cLine - 1] ?? "";
  const args = /\(([^()]*(?:\([^()]*\)[^()]*)*)\)/.exec(line.slice(line.search(/[a-z_>]+\(/)))?.[1] ?? "";
  const parts = args.split(",").map((a) => a.trim());
  const name = (last ? parts.at(-1) : parts[0]) ?? "";
  return name.replace(/^&/, "") || "sock";
}

/**
 * Tracing and step mode on the real kernel: the session's VM has a KernelStepper attached from the
 * first insmod on, and each lab call becomes the same events the Node lab sends (step enter/exit
 * with the real result, and with step mode on a step.waiting before them), stamped with the guest's
 * own uptime. Step mode off: the calls are still traced, the VM is simply never held.
 */
export class RealKernelStepMode implements StepControls {
  enabled = false;
  private stepper: KernelStepper | undefined;
  private attaching: Promise<KernelStepper | undefined> | undefined;
  private readonly runToEnd = new Set<ModuleName>();
  /** The C line of each module's last pause (the one it holds the VM at, while it does). */
  private readonly waitingLine = new Map<ModuleName, number>();
  private readonly expected = new Map<string, ExpectedModule>();
  /** The guest's kallsyms lines, read once per VM. */
  private symbols: { vm: StepModeVm; lines: string[] } | undefined;

  constructor(private readonly options: RealKernelStepModeOptions) {}

  get stepMode(): boolean {
    return this.enabled;
  }

  setStepMode(enabled: boolean): void {
    void this.set(enabled, this.options.vm());
  }

  stepNext(module: ModuleName): void {
    this.next(module);
  }

  stepContinue(module: ModuleName): void {
    this.continue(module);
  }

  /** Before an insmod: the stepper must be attached when the module's first call comes. */
  async prepare(vm: StepModeVm, expected: ExpectedModule): Promise<void> {
    this.expected.set(expected.module, expected);
    this.runToEnd.delete(expected.module);
    if (this.enabled || realKernelTracing()) await this.attach(vm);
  }

  /**
   * Off: a module held before a call goes on at once, its calls still traced (without tracing, the
   * debugger detaches and the guest runs as if it had never been there). On: the next call holds.
   */
  async set(enabled: boolean, vm: StepModeVm | undefined): Promise<void> {
    this.enabled = enabled;
    this.stepper?.steppingChanged();
    if (!enabled) {
      const held = this.stepper?.pausedFor;
      if (held) this.stepper?.release(held);
      if (realKernelTracing()) return;
      const stepper = this.stepper;
      this.stepper = undefined;
      this.attaching = undefined;
      await stepper?.detach();
      return;
    }
    if (vm?.running) await this.attach(vm);
  }

  next(module: ModuleName): void {
    trace(`press step ${module}`);
    this.stepper?.release(module);
  }

  continue(module: ModuleName): void {
    this.runToEnd.add(module);
    this.stepper?.release(module);
  }

  /** Whether the debugger holds the VM stopped before a call (a guest command would wait for it). */
  get vmPaused(): boolean {
    return this.stepper?.pausedFor !== undefined;
  }

  /** The module and C line the VM is held at, if it is. */
  get pausedAt(): { module: ModuleName; cLine: number } | undefined {
    const module = this.stepper?.pausedFor;
    const cLine = module && this.waitingLine.get(module);
    return module && cLine ? { module, cLine } : undefined;
  }

  /** The VM ended (or the engine is disposed): the stepper's connection is gone with it. */
  vmGone(): void {
    this.stepper?.dispose();
    this.stepper = undefined;
    this.attaching = undefined;
  }

  private attach(vm: StepModeVm): Promise<KernelStepper | undefined> {
    if (this.stepper) return Promise.resolve(this.stepper);
    this.attaching ??= this.connect(vm).catch((err: unknown) => {
      this.attaching = undefined;
      this.options.console(`[step mode: could not attach to the VM's gdbstub: ${(err as Error).message}]`);
      return undefined;
    });
    return this.attaching;
  }

  private async connect(vm: StepModeVm): Promise<KernelStepper | undefined> {
    const availability = realKernelAvailability(this.options.release?.());
    if (!availability.ok) throw new Error("the real-kernel engine is not installed");
    if (this.symbols?.vm !== vm) this.symbols = { vm, lines: await vm.kallsyms() };
    const { lines } = this.symbols;
    const layout = await kernelLayout(availability.tools.release, availability.tools.buildDir);
    if (!(this.enabled || realKernelTracing()) || !vm.running) return undefined;
    const stepper: KernelStepper = new KernelStepper({
      socketPath: vm.gdbSocket,
      symbols: parseKallsyms(lines),
      layout,
      expected: (name) => this.expected.get(name),
      holds: (module) => this.enabled && !this.runToEnd.has(module),
      isStepLine: (module, variant, cLine) =>
        stepAt(module, variant, cLine, this.expected.get(module)?.steps) !== undefined,
      onWaiting: (call) => this.onCall(call, "waiting"),
      onEnter: (call) => this.onCall(call, "enter"),
      onReturn: (ret) => this.onCall(ret, "exit"),
      callFrames: callFramesOn() ? seriesOf(availability.tools.release) : undefined,
      tracer: vm.callTracer,
      stepping: () => this.enabled,
      onGone: (reason) => {
        if (this.stepper !== stepper) return;
        this.stepper = undefined;
        this.attaching = undefined;
        // A VM that is ending closes the debugger's socket first: only one still running a moment
        // later has really lost its debugger (and may be stopped for good).
        const check = setTimeout(() => {
          if (!vm.running) return;
          this.options.console(`[step mode: the debugger lost the VM: ${reason}]`);
          this.options.lost();
        }, LOST_GRACE_MS);
        check.unref();
      },
    });
    await stepper.attach();
    this.stepper = stepper;
    // Step mode switched while it attached: the sites follow it now.
    stepper.steppingChanged();
    return stepper;
  }

  private onCall(call: KernelCall | KernelReturn, phase: "waiting" | "enter" | "exit"): void {
    const at = stepAt(call.module, call.variant, call.cLine, this.expected.get(call.module)?.steps);
    if (!at) return;
    const base = {
      module: call.module,
      variant: call.variant,
      step: at.step,
      cLine: at.cLine,
      tsLine: at.tsLine,
    };
    const socket = call.socket && this.socketView(call, call.socket);
    // Traced only, the call is stamped with the kernel's latest printk time (no read of the guest's clock).
    const usec = call.uptime === undefined ? undefined : Math.round(call.uptime * 1e6);
    trace(`emit ${phase} ${at.step}`);
    if (phase === "waiting") {
      this.waitingLine.set(call.module, at.cLine);
      return this.options.emit(
        { type: "step.waiting", ...base, vmPaused: true, socket, call: call.frame },
        usec,
      );
    }
    if (phase === "enter")
      return this.options.emit(
        { type: "step", ...base, phase, result: null, socket, call: call.frame },
        usec,
      );
    const ret = call as KernelReturn;
    // kthread_run returns a task pointer: the lab's step result is 0, or the errno of an ERR_PTR.
    const result =
      at.step === "kthread_run" ? (ret.result < 0 && ret.result >= -4095 ? ret.result : 0) : ret.result;
    const data = ret.data && {
      base64: ret.data.bytes.toString("base64"),
      length: ret.result,
      bufferSize: ret.data.bufferSize,
    };
    const shown = VOID_STEPS.has(at.step) ? null : result;
    const errno = shown !== null && shown < 0 ? errnoName(shown) : undefined;
    this.options.emit(
      { type: "step", ...base, phase, result: shown, errno, data, socket, call: call.frame },
      usec,
    );
  }

  private socketView(call: KernelCall, socket: KernelSocket) {
    const expected = this.expected.get(call.module);
    const cText = expected?.source ?? listings()[call.variant]?.[call.module]?.cText;
    const name = argumentName(cText, call.cLine, call.function === "sock_create_kern");
    return { name, ...socket };
  }
}
