import { assertNever, type LabEvent, type ServerEventOf } from "../../../shared/protocol/messages.ts";
import { formatDmesg } from "../../../shared/kernelLog/printk.ts";
import { MODULES, type ModuleName, type Variant } from "../../../shared/protocol/steps.ts";
import { type CurrentStep, currentStepOf, type ModuleView } from "./labView.ts";

/** The C and TS line of a module's latest printk that names its line. */
export type PrintedLines = { cLine?: number; tsLine?: number };

/** One entry of the printk pane: a dmesg or shell line, or a real kernel's boot log (folded or not when shown). */
export type TerminalEntry = string | ServerEventOf<"kernel.boot">;

/**
 * What the views read at one moment of the session, computed once, when the event that ends the
 * moment arrives: each view reads the moment it shows instead of re-deriving it from every event.
 * Objects that an event does not change are shared with the moment before.
 */
export type LabMoment = {
  modules: Readonly<Record<ModuleName, ModuleView>>;
  printed: Readonly<Partial<Record<ModuleName, PrintedLines>>>;
  /** Entries the printk pane holds so far (a position in the record's terminal entries). */
  terminal: number;
  /** The kernel's latest socket table. */
  tcp?: ServerEventOf<"tcp.state">;
  /**
   * The latest kernel_recvmsg that returned bytes, and the printk its module made after it: held
   * here, not by position, so the bytes view still has them once their run is dropped.
   */
  received?: ServerEventOf<"step">;
  receivedPrintk?: ServerEventOf<"printk">;
  bootRecords: number;
  /** How many real-kernel VMs booted so far: the number of the latest (VM #1 is the first). */
  vms: number;
  /** The latest oopses (at most LATEST_OOPSES), oldest first, each with the VM and listing it came from. */
  oopses: readonly OopsRecord[];
};

/** An oops with what makes it current or not: the VM it happened in (#1…) and the listing that ran. */
export type OopsRecord = {
  event: ServerEventOf<"oops">;
  vm: number;
  variant?: Variant;
};

export const EMPTY_MOMENT: LabMoment = {
  modules: Object.fromEntries(MODULES.map((m) => [m, { state: "unloaded" }])) as Record<
    ModuleName,
    ModuleView
  >,
  printed: {},
  terminal: 0,
  bootRecords: 0,
  vms: 0,
  oopses: [],
};

/** How many oopses the dock keeps (a panic in interrupt context can follow the listing's bug; reboots add more). */
export const LATEST_OOPSES = 8;

/**
 * Folds one event into the moment before it. Mutable only in `running`: the calls each module is
 * inside, which a moment does not expose (a returning call hands "current" back to one still running).
 */
export class MomentFold {
  private running: Record<ModuleName, CurrentStep[]> = { server: [], client: [] };
  private receivedModule: ModuleName | undefined;

  next(before: LabMoment, event: LabEvent, terminal: TerminalEntry[]): LabMoment {
    switch (event.type) {
      case "module.state":
      case "step.waiting":
        return { ...before, modules: this.moduleNext(before.modules, event) };
      case "step": {
        const modules = this.moduleNext(before.modules, event);
        if (!isReceive(event)) return { ...before, modules };
        this.receivedModule = event.module;
        return { ...before, modules, received: event, receivedPrintk: undefined };
      }
      case "printk": {
        terminal.push(formatDmesg(event.t, event.text));
        let { printed, receivedPrintk } = before;
        if (event.source !== "kernel" && (event.cLine || event.tsLine))
          printed = { ...printed, [event.source]: { cLine: event.cLine, tsLine: event.tsLine } };
        const printsReceived =
          before.received !== undefined && event.source === this.receivedModule && event.cLine !== undefined;
        if (printsReceived && receivedPrintk === undefined) receivedPrintk = event;
        return { ...before, printed, receivedPrintk, terminal: before.terminal + 1 };
      }
      case "console":
        terminal.push(event.text);
        return { ...before, terminal: before.terminal + 1 };
      case "kernel.boot":
        terminal.push(event);
        return {
          ...before,
          terminal: before.terminal + 1,
          bootRecords: before.bootRecords + event.records.length,
          vms: before.vms + 1,
        };
      case "tcp.state":
        return { ...before, tcp: event };
      case "oops": {
        const record: OopsRecord = { event, vm: before.vms, variant: oopsVariant(before.modules, event) };
        return { ...before, oopses: [...before.oopses, record].slice(-LATEST_OOPSES) };
      }
      default:
        return assertNever(event);
    }
  }

  private moduleNext(
    modules: LabMoment["modules"],
    event: ServerEventOf<"module.state" | "step" | "step.waiting">,
  ): LabMoment["modules"] {
    const module = event.module;
    const view: ModuleView = { ...modules[module] };
    if (event.type === "module.state") {
      view.state = event.state;
      view.variant = event.variant;
      view.initResult = event.initResult;
      view.learnerBuild = event.learnerBuild;
      // A module loading starts afresh; one unloaded keeps no lit line (its exit has run).
      if (event.state === "loading" || event.state === "unloaded") {
        view.current = undefined;
        this.running[module] = [];
      }
    } else {
      const step = currentStepOf(event);
      let running = this.running[module];
      if (step.phase === "running") running = [...running, step];
      if (step.phase === "done") running = running.filter((call) => call.step !== step.step);
      this.running[module] = running;
      view.current = step.phase === "done" ? (running.at(-1) ?? step) : step;
    }
    return { ...modules, [module]: view };
  }
}

/** The listing the oops' module was loaded from: the module its frames name, else any loaded one. */
function oopsVariant(modules: LabMoment["modules"], oops: ServerEventOf<"oops">): Variant | undefined {
  const named = oops.frames.find((frame) => frame.listingModule)?.listingModule;
  if (named && modules[named].variant) return modules[named].variant;
  return MODULES.map((module) => modules[module].variant).find((variant) => variant !== undefined);
}

/** The kernel_recvmsg exit that carries received bytes. */
export function isReceive(event: LabEvent): event is ServerEventOf<"step"> {
  return event.type === "step" && event.step === "kernel_recvmsg" && event.phase === "exit" && !!event.data;
}
