import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { cListingPath } from "../../shared/listings/listingFiles.ts";
import type { ModuleState, ServerEventOf } from "../../shared/protocol/messages.ts";
import {
  callOnLine,
  matchPrintk,
  oopsFrames,
  type PrintkFormat,
  printkFormats,
} from "../../shared/listings/realKernelLines.ts";
import { MODULES, type ModuleName, perModule, VARIANTS, type Variant } from "../../shared/protocol/steps.ts";
import type { Engine } from "../engine/engine.ts";
import { Disposed, Lifecycle } from "../engine/lifecycle.ts";
import type { EngineLog, EventStamper, LabEventBody } from "../engine/eventStamper.ts";
import { seriesOf } from "../../shared/releases/kernelSeries.ts";
import { realKernelAvailability } from "./availability.ts";
import { buildBothListings, buildOnlyRelease, imageInstallCommand } from "./buildOnlyRelease.ts";
import type { KernelRelease } from "./kernelReleases.ts";
import { defaultSeries, releasesHere } from "./kernelReleases.ts";
import { type GuestArtifacts, guestArtifacts, guestArtifactsReady } from "./guestArtifacts.ts";
import { guestTcpRows } from "./guestTcp.ts";
import type { GuestLine, KernelRecord } from "./guestOutput.ts";
import { guestKoPath, guestPayload, type LearnerModule, learnerStepLines } from "./learnerModule.ts";
import { type LineTable, lineAt, lineTableFor } from "./moduleLineTable.ts";
import { type Oops, OopsCollector } from "./oopsCollector.ts";
import { callTracerPlugin } from "./callTracer/callTracerPlugin.ts";
import { RealKernelStepMode, realKernelTracing, type StepModeVm } from "./realKernelStepMode.ts";
import { Vm, type VmExitReason } from "./vm.ts";
import { stepTraceOn, trace } from "./gdb/stepTrace.ts";
import { idleReason, realKernelIdleMs, VmIdleWatch } from "./vmIdle.ts";
import { sharedVmPool, type Lease, type VmPool } from "./vmPool.ts";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

export type RealKernelEngineOptions = {
  /** The session's numbering, shared with its Node lab: seq never repeats when the engine changes. */
  stamper: EventStamper;
  /** The listing the next insmod loads, until the session sets `variant`. */
  variant: Variant;
  pool?: VmPool;
  timeoutMs?: number;
  /** The client's remote address: the pool caps VMs per address. */
  owner?: string;
  /** A VM with nothing loaded and no command for this long is powered off (REAL_KERNEL_IDLE_MS). */
  idleMs?: number;
  /** The kernel release (a series, "6.12") the VM boots; the lab's default one when absent. */
  release?: string;
  /** false: both listings are built as written, without the release's edits. */
  edits?: boolean;
};

/** A learner's build in a slot: its C (printk formats, oops links) and its .ko's line table. */
type LoadedLearnerModule = LearnerModule & { listing: Listing; lineTable?: LineTable };

/**
 * `inGuest`: the insmod was sent to the guest (until then a Reset can simply withdraw it).
 * `learner`: the module is the learner's own build, not the shipped listing.
 */
type Slot = { state: ModuleState; variant: Variant; inGuest?: boolean; learner?: LoadedLearnerModule };
type Pending = {
  resolve: (rc: number | undefined) => void;
  output: string[];
  /** The output is for the engine (kallsyms for step mode), not the learner's shell. */
  quiet?: boolean;
};
type Listing = { text: string; formats: PrintkFormat[] };

const DEFAULT_TIMEOUT_MS = Number(process.env.REAL_KERNEL_VM_TIMEOUT_MS) || 10 * 60_000;

/**
 * A printk cut at the record limit loses its trailing newline, so the kernel keeps the record open
 * for a continuation and no reader (console, dmesg) sees it until the next record is stored. On a
 * busy machine that comes soon; in this quiet VM it may not come at all. So after the kernel's
 * records go quiet the engine asks the init for a "sync" record (not shown), once soon and once
 * later for a thread that prints after it.
 */
const SYNC_AFTER_MS = [150, 1000];

/**
 * The Socket states tab on the real kernel is the guest's /proc/net/tcp, read in the guest by the
 * init's "tcp" command: this long after a call returns or a module changes state, and once more
 * when the calls have settled (a close's FIN_WAIT/TIME_WAIT comes a moment after the call).
 */
const TCP_READ_AFTER_MS = [120, 1200] as const;

function readListings(): Record<Variant, Record<ModuleName, Listing>> {
  const read = (variant: Variant, module: ModuleName): Listing => {
    const text = readFileSync(join(ROOT, cListingPath(variant, module)), "utf8");
    return { text, formats: printkFormats(text) };
  };
  const entries = VARIANTS.map((v) => [v, { server: read(v, "server"), client: read(v, "client") }]);
  return Object.fromEntries(entries) as Record<Variant, Record<ModuleName, Listing>>;
}

/**
 * One session's real-kernel engine: builds both listing pairs, boots a VM (one per session, within
 * the pool's bound), sends it the learner's insmod/rmmod, and turns the guest's console into the
 * lab's events: printk with the kernel's own timestamps and the C line that printed it, console
 * lines of insmod/rmmod, module states, and whole oopses with their functions linked.
 */
export class RealKernelEngine implements Engine {
  readonly kind = "real-kernel";
  /** Its VM is powered off when the learner leaves, freeing the slot for another session. */
  readonly keepsStateWhenHidden = false;
  private vm: Vm | undefined;
  private booting: Promise<Vm | undefined> | undefined;
  private lease: Lease | undefined;
  private readonly slots: Record<ModuleName, Slot>;
  private readonly pending = new Map<number, Pending>();
  private readonly listings = readListings();
  private readonly pool: VmPool;
  private readonly oops = new OopsCollector((oops) => this.emitOops(oops));
  /** The running VM's records until its init is ready: the boot log, sent as one group. */
  private bootLog: KernelRecord[] | undefined;
  /** Cancels of the pending sync and tcp-read timers (they live in `life`). */
  private syncTimers: (() => void)[] = [];
  private tcpSoon: (() => void) | undefined;
  private tcpSettled: (() => void) | undefined;
  private tcpReading = false;
  /** The guest's rows last sent, as JSON: a tcp.state goes out only when they change. */
  private tcpShown = "";
  /** The listing the next insmod loads (the learner's as published / fixed switch). */
  variant: Variant;
  /** The kernel release the next boot takes, by name (server/realKernel/kernelReleases.ts). */
  release: string | undefined;
  private edits: boolean;
  private kernelSeconds = 0;
  /**
   * The engine's lifetime: its VM, lease, place in the pool's queue, timers and the log are
   * registered here as they are made, and a call still awaiting the build, the queue, the boot or the
   * guest when the engine is disposed rejects with Disposed (ended quietly by `untilDisposed`), so no
   * method needs to ask whether the engine is still there.
   */
  private readonly life = new Lifecycle();
  private readonly idle: VmIdleWatch;
  private artifacts: Extract<GuestArtifacts, { ok: true }> | undefined;
  /** Stamped with the kernel's clock: a record's own timestamp, or the latest the kernel printed. */
  private readonly log: EngineLog;
  /** Step mode: QEMU's gdbstub pauses the whole VM before each of the modules' kernel calls. */
  readonly stepping: RealKernelStepMode;

  constructor(private readonly options: RealKernelEngineOptions) {
    this.log = options.stamper.log(() => this.kernelSeconds, "real-kernel");
    this.life.onDispose(() => this.log.close());
    this.pool = options.pool ?? sharedVmPool;
    this.variant = options.variant;
    this.release = options.release;
    this.edits = options.edits ?? true;
    this.slots = { server: this.freshSlot(), client: this.freshSlot() };
    this.stepping = new RealKernelStepMode({
      emit: (event, usec) => this.emit(event, usec),
      console: (text) => this.console(text),
      vm: () => (this.vm?.running ? this.stepModeVm(this.vm) : undefined),
      lost: () => this.vm?.kill("disposed"),
      release: () => this.release,
    });
    this.idle = new VmIdleWatch(options.idleMs ?? realKernelIdleMs(), () => this.vm?.kill("idle"));
    this.life.onDispose(() => this.idle.stop());
    this.life.onDispose(() => this.stepping.vmGone());
    this.life.add(this.oops);
  }

  /** After each command (and the boot): the idle wait runs while the VM holds nothing loaded. */
  private settleIdle(): void {
    if (!this.vm?.running) return this.idle.stop();
    this.idle.settle(
      MODULES.some((m) => this.slots[m].state === "live" || this.slots[m].state === "loading"),
    );
  }

  /** Says whether the engine can run here, and what to install when it cannot. */
  announce(): void {
    const availability = realKernelAvailability(this.release);
    if (!availability.ok) {
      const buildOnly = buildOnlyRelease(this.release);
      if (buildOnly) return this.buildListingsOnly(buildOnly);
      this.status({
        status: "missing",
        missing: availability.missing,
        installCommand: availability.installCommand,
        releases: releasesHere(),
        series: this.release ?? defaultSeries(),
      });
      return;
    }
    // While it boots, the boot's own statuses (building, queued, booting, ready) are on their way.
    if (this.booting) return;
    if (this.vm?.running) return this.status({ status: "ready" });
    this.status({
      status: "available",
      kernelRelease: availability.tools.release,
      releases: releasesHere(),
      series: seriesOf(availability.tools.release),
    });
    // Booted as soon as the learner picks the real kernel: by the time they press Start, it is up.
    this.ensureVm().catch(() => {});
  }

  /**
   * A release built here but not booted (its headers without its image): both listings are built
   * against its headers and the page is told it builds, or what its compiler printed. A result for
   * a release or edits the learner has since left says nothing: the newer pick speaks.
   */
  private buildListingsOnly(found: KernelRelease): void {
    const { release, edits } = this;
    const still = () => this.release === release && this.edits === edits;
    const about = { kernelRelease: found.release, releases: releasesHere(), series: found.series };
    this.status({ status: "building", ...about });
    this.life.guard(buildBothListings(found, edits)).then(
      (built) => {
        if (!still()) return;
        if (!built.ok)
          return this.status({
            status: "build-failed",
            ...about,
            detail: `${built.variant} listing:\n${built.output}`,
          });
        this.status({
          status: "built",
          ...about,
          installCommand: imageInstallCommand(found.series),
          ms: built.ms,
        });
      },
      () => {},
    );
  }

  /**
   * Another kernel release: a VM of the old one is powered off (its modules go with it) and the
   * next boot takes the new one; announce() boots it at once, as picking the engine does.
   */
  selectRelease(release: string, edits = true): string | undefined {
    if (release === this.release && edits === this.edits) return undefined;
    this.release = release;
    this.edits = edits;
    this.vm?.kill("disposed");
    this.announce();
    return undefined;
  }

  /** The real kernel runs the C listings alone: both variants are always there. */
  selectVariant(variant: Variant): string | undefined {
    this.variant = variant;
    return undefined;
  }

  /**
   * Pressed before the VM is up, the insmod is shown loading at once (the page says what it waits
   * for: the build, a VM slot, the boot) and goes to the guest as soon as its init is ready.
   */
  insmod(module: ModuleName): Promise<void> {
    return this.untilDisposed(async () => {
      this.idle.stop();
      await this.insmodInVm(module);
      this.settleIdle();
    });
  }

  /**
   * The learner's own build of a module: its .ko goes to the guest over the command port and is
   * loaded there; tracing, step mode, printk lines and oops links follow its C and its DWARF.
   */
  insmodLearner(module: ModuleName, build: LearnerModule): Promise<void> {
    return this.untilDisposed(async () => {
      this.idle.stop();
      const learner: LoadedLearnerModule = {
        ...build,
        listing: { text: build.source, formats: printkFormats(build.source) },
      };
      await this.insmodInVm(module, learner);
      this.settleIdle();
    });
  }

  rmmod(module: ModuleName): Promise<void> {
    return this.untilDisposed(async () => {
      this.idle.stop();
      await this.rmmodInVm(module);
      this.settleIdle();
    });
  }

  /** A command cut short by the engine's end stops there: nothing is left to report it to. */
  private async untilDisposed(command: () => Promise<void>): Promise<void> {
    try {
      this.life.signal.throwIfAborted();
      await command();
    } catch (err) {
      if (!(err instanceof Disposed)) throw err;
    }
  }

  private async insmodInVm(module: ModuleName, learner?: LoadedLearnerModule): Promise<void> {
    // An insmod that boots a VM starts its run: the insmod line on the new kernel's clock, at 0.
    if (!this.vm?.running && !this.booting) {
      this.log.newRun();
      this.kernelSeconds = 0;
    }
    this.console(`$ insmod ${module}.ko`);
    if (learner) this.console(`[your build #${learner.buildId} of ${module}.c]`);
    const slot: Slot = { state: "loading", variant: learner?.base ?? this.variant, learner };
    this.slots[module] = slot;
    this.setState(module, slot);
    const vm = await this.life.guard(this.ensureVm());
    if (this.slots[module] !== slot) return;
    if (!vm) {
      slot.state = "unloaded";
      return this.setState(module, slot);
    }
    if (learner && !(await this.putLearnerModule(vm, module, slot, learner))) return;
    const koPath = learner?.koPath ?? this.artifacts?.modules[slot.variant][module];
    if (koPath) {
      // With step mode on, the debugger is attached before the module's first call can run.
      const steps = learner && learnerStepLines(learner.base, module, learner.source);
      await this.life.guard(
        this.stepping.prepare(this.stepModeVm(vm), {
          module,
          variant: slot.variant,
          koPath,
          steps,
          source: learner?.source,
          imagePath: learner && guestKoPath(learner.koPath),
        }),
      );
      if (this.slots[module] !== slot || !vm.running) return;
    }
    slot.inGuest = true;
    this.sayHeld(module, "insmod");
    const rc = await this.run(vm.command(["insmod", learner ? "learner" : slot.variant, module]));
    if (this.slots[module] !== slot || rc === undefined) return;
    slot.state = rc === 0 ? "live" : "failed";
    // The guest's insmod exits with the errno of the failed finit_module; 128+n means a signal killed it.
    this.setState(module, slot, rc === 0 ? 0 : rc < 128 ? -rc : undefined);
  }

  /**
   * Sends the learner's .ko into the guest (stripped and gzipped: ~4 KB over the command port) and
   * reads its line table for the oops links. False, with the slot failed and the reason on the
   * console, when the module could not get there.
   */
  private async putLearnerModule(
    vm: Vm,
    module: ModuleName,
    slot: Slot,
    learner: LoadedLearnerModule,
  ): Promise<boolean> {
    let payload: string;
    try {
      [payload, learner.lineTable] = await this.life.guard(
        Promise.all([guestPayload(learner.koPath), lineTableFor(learner.koPath, `${module}.c`)]),
      );
    } catch (error) {
      if (error instanceof Disposed) throw error;
      this.console(`insmod: your build of ${module}.c could not be read: ${(error as Error).message}`);
      payload = "";
    }
    if (this.slots[module] !== slot) return false;
    const rc = payload ? await this.run(vm.command(["put", module, payload])) : 1;
    if (this.slots[module] !== slot || rc === undefined) return false;
    if (rc === 0) return true;
    this.console(`insmod: your build of ${module}.c did not reach the guest (${rc})`);
    slot.state = "failed";
    this.setState(module, slot);
    return false;
  }

  private async rmmodInVm(module: ModuleName): Promise<void> {
    this.console(`$ rmmod ${module}`);
    const vm = this.vm?.running ? this.vm : undefined;
    if (!vm) {
      this.console(`rmmod: can't unload module '${module}': No such file or directory`);
      return;
    }
    this.sayHeld(module, "rmmod");
    const rc = await this.run(vm.command(["rmmod", "-", module]));
    if (rc !== 0) return;
    const slot = this.slots[module];
    slot.state = "unloaded";
    this.setState(module, slot);
  }

  /**
   * A command sent while step mode holds the whole VM before the other module's call: the guest
   * runs nothing, this command included, until that module is stepped on; and once it runs, it
   * waits for the other's insmod or rmmod before it (guestInOrder.ts). Said, not left silent.
   */
  private sayHeld(module: ModuleName, verb: "insmod" | "rmmod"): void {
    const at = this.stepping.pausedAt;
    if (!at || at.module === module) return;
    this.console(
      `[${verb} ${module}: waits — the whole VM is paused at ${at.module}.c line ${at.cLine}; it runs after Step ${at.module} or Continue ${at.module}, in the order sent]`,
    );
  }

  /**
   * Reset the lab on a real kernel: rmmod what is live, as a learner would. A module whose init has
   * not returned cannot be removed (the kernel's EBUSY), so then the VM is powered off — the reboot a
   * real machine would need — and the next insmod boots a fresh kernel.
   */
  async reset(): Promise<Engine> {
    this.withdrawWaitingInsmods();
    if (!this.vm?.running) return this;
    // Step mode: Reset runs the exit functions without stopping (their calls are still traced and
    // lit); Stop <module> is the way to step through one. The page says which does what.
    if (this.stepping.enabled && MODULES.some((m) => this.slots[m].state !== "unloaded")) {
      this.console(
        "[reset in step mode: the exit functions run without stopping; their calls are still lit]",
      );
      for (const module of MODULES) this.stepping.continue(module);
    }
    for (const module of MODULES) if (this.slots[module].state === "live") await this.rmmod(module);
    const stuck = MODULES.filter((module) => this.slots[module].state === "loading");
    if (stuck.length > 0 && this.vm?.running) {
      const which = stuck.map((module) => `${module}.ko`).join(" and ");
      this.console(
        `[lab restarted: ${which} was stuck in its init; the VM is powered off, as a real machine would need a reboot]`,
      );
      this.restart();
    }
    return this;
  }

  /**
   * An insmod pressed while the modules build or the VM boots has not reached the guest: Reset
   * withdraws it (its module is unloaded, nothing ran) and says so, rather than call it stuck.
   */
  private withdrawWaitingInsmods(): void {
    const waiting = MODULES.filter((m) => this.slots[m].state === "loading" && !this.slots[m].inGuest);
    if (waiting.length === 0) return;
    const which = waiting.map((module) => `${module}.ko`).join(" and ");
    const vmState = this.vm?.running ? "the VM is left running" : "the VM goes on starting";
    this.console(
      `[lab reset: the insmod of ${which} had not reached the guest yet, so it was withdrawn; ${vmState}]`,
    );
    for (const module of waiting) {
      const slot: Slot = { state: "unloaded", variant: this.slots[module].variant };
      this.slots[module] = slot;
      this.setState(module, slot);
    }
  }

  /** Powers the VM off; the next insmod boots a fresh kernel. */
  restart(): void {
    this.vm?.kill("disposed");
  }

  /** Ends the engine's lifetime: its VM is killed, its slot or place in the queue given back, its timers cleared. */
  dispose(): void {
    this.life.dispose();
  }

  /**
   * The running VM once its init takes commands. While it boots, every caller waits on the same
   * boot, so their commands go out in the order the learner gave them.
   */
  private ensureVm(): Promise<Vm | undefined> {
    if (this.booting) return this.booting;
    if (this.vm?.running) return Promise.resolve(this.vm);
    this.booting ??= this.boot()
      .catch((err: unknown) => {
        this.status({ status: "stopped", detail: (err as Error).message });
        return undefined;
      })
      .finally(() => {
        this.booting = undefined;
      });
    return this.booting;
  }

  private async boot(): Promise<Vm | undefined> {
    this.life.signal.throwIfAborted();
    const availability = realKernelAvailability(this.release);
    if (!availability.ok) {
      const buildOnly = buildOnlyRelease(this.release);
      if (buildOnly) {
        this.console(
          `insmod: Linux ${buildOnly.release} is built here but cannot boot here: its image is not unpacked (${imageInstallCommand(buildOnly.series)} adds it)`,
        );
        return undefined;
      }
      this.announce();
      this.console("insmod: the real-kernel engine is not installed");
      return undefined;
    }
    const { tools } = availability;
    const started = Date.now();
    if (!guestArtifactsReady(tools.release, this.edits)) this.status({ status: "building" });
    const artifacts = await this.life.guard(guestArtifacts(tools, this.edits));
    if (!artifacts.ok) {
      this.status({ status: "build-failed", detail: `${artifacts.variant} listing:\n${artifacts.output}` });
      return undefined;
    }
    this.artifacts = artifacts;
    const { initramfs } = artifacts;
    const callTracer = await this.life.guard(this.callTracer(tools.qemu));
    this.status({ status: "booting", ms: Date.now() - started, kernelRelease: tools.release });
    const ticket = this.pool.acquire(
      (position, estimateMs) => this.status({ status: "queued", position, estimateMs }),
      this.options.owner,
    );
    // Ended while queued: the place is given up, and a slot granted in the same moment goes back.
    const leaveQueue = this.life.onDispose(() => {
      ticket.cancel();
      ticket.granted.then(
        (lease) => lease.release(),
        () => {},
      );
    });
    const lease = await this.life.guard(ticket.granted).finally(leaveQueue);
    // Given back at the VM's exit (onExit) or the engine's end, whichever comes first.
    const forgetLease = this.life.onDispose(() => lease.release());
    this.lease = {
      release: () => {
        forgetLease();
        lease.release();
      },
    };
    this.status({ status: "booting", kernelRelease: tools.release });
    const bootStarted = Date.now();
    this.bootLog = [];
    // A fresh kernel's clock starts again at 0, and with it a new run (unless the insmod that asked
    // for this boot started it already).
    if (this.kernelSeconds > 0) this.log.newRun();
    this.kernelSeconds = 0;
    // The VM's console stops reaching the engine when the engine ends (its exit still runs onExit,
    // which releases what the VM held).
    const onLine = this.life.callback((line: GuestLine) => this.onGuestLine(vm, line));
    const vm = new Vm({
      tools,
      initramfs,
      callTracer,
      timeoutMs: this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      onLine,
      onExit: (reason, detail) => {
        forgetVm();
        this.onExit(vm, reason, detail);
      },
    });
    const forgetVm = this.life.onDispose(() => vm.kill("disposed"));
    this.vm = vm;
    const release = await this.life.guard(vm.ready);
    this.status({ status: "ready", kernelRelease: release, ms: Date.now() - bootStarted });
    this.settleIdle();
    return vm;
  }

  /**
   * The call-tracer plugin for the next VM when its calls are traced (callTracer.c: no VM stop per
   * call). REAL_KERNEL_CALL_TRACER=off, or a plugin that does not build, leaves the tracing to the
   * gdbstub's breakpoints alone.
   */
  private async callTracer(qemu: string): Promise<string | undefined> {
    if (!realKernelTracing() || process.env.REAL_KERNEL_CALL_TRACER === "off") return undefined;
    try {
      return await callTracerPlugin(qemu);
    } catch (err) {
      this.console(
        `[call tracer: ${(err as Error).message.split("\n")[0]}; calls are traced through the gdbstub]`,
      );
      return undefined;
    }
  }

  private run(id: number): Promise<number | undefined> {
    return this.life.guard(new Promise((resolve) => this.pending.set(id, { resolve, output: [] })));
  }

  /** The VM as step mode needs it; its kallsyms lines come from the init's "syms" command. */
  private stepModeVm(vm: Vm): StepModeVm {
    return {
      gdbSocket: vm.gdbSocket,
      callTracer: vm.callTracer,
      get running() {
        return vm.running;
      },
      kallsyms: () =>
        new Promise<string[]>((resolve, reject) => {
          const pending: Pending = {
            quiet: true,
            output: [],
            resolve: (rc) =>
              rc === 0
                ? resolve(pending.output)
                : reject(new Error(`the guest could not read /proc/kallsyms (${rc})`)),
          };
          this.pending.set(vm.command(["syms", "-", "-"]), pending);
        }),
    };
  }

  private onGuestLine(vm: Vm, line: GuestLine): void {
    if (stepTraceOn)
      trace(
        `guest ${line.kind} ${"id" in line ? line.id : ""} ${"text" in line ? line.text.slice(0, 60) : ""}${"rc" in line ? ` rc=${line.rc}` : ""}${"usec" in line ? ` usec=${line.usec}` : ""}`,
      );
    switch (line.kind) {
      case "kmsg":
        this.onRecord(line);
        return this.scheduleSyncs(vm);
      case "output": {
        const pending = this.pending.get(line.id);
        if (pending?.quiet) return void pending.output.push(line.text);
        return this.console(line.text);
      }
      case "result": {
        const pending = this.pending.get(line.id);
        this.pending.delete(line.id);
        return pending?.resolve(line.rc);
      }
      case "shell":
        return this.console(line.text);
      case "ready":
        return this.emitBoot(line.release);
      default:
        return line satisfies never;
    }
  }

  private scheduleSyncs(vm: Vm): void {
    if (this.bootLog) return;
    this.clearSyncs();
    this.syncTimers = SYNC_AFTER_MS.map((ms) =>
      this.life.timeout(() => {
        if (vm.running) vm.command(["sync", "-", "-"]);
      }, ms),
    );
  }

  private clearSyncs(): void {
    for (const cancel of this.syncTimers) cancel();
    this.syncTimers = [];
  }

  /** The boot log as one group, stamped with its last record's time: real dmesg, kept out of the lesson's way. */
  private emitBoot(release?: string): void {
    const boot = this.bootLog;
    this.bootLog = undefined;
    if (!boot || boot.length === 0) return;
    const records = boot.map((r) => ({ t: r.usec / 1e6, text: r.text, level: r.level }));
    this.emit({ type: "kernel.boot", release, records }, boot.at(-1)?.usec);
  }

  private onRecord(record: KernelRecord): void {
    this.kernelSeconds = Math.max(this.kernelSeconds, record.usec / 1e6);
    this.oops.push(record);
    if (this.bootLog) {
      this.bootLog.push(record);
      return;
    }
    const formats = perModule((m) => this.listingOf(m).formats);
    const match = matchPrintk(record.text, formats);
    const event = {
      type: "printk",
      source: match?.module ?? "kernel",
      text: record.text,
      cLine: match?.cLine,
      level: record.level,
    } as const;
    this.emit(event, record.usec);
  }

  /**
   * The oops with each of its functions the listing defines linked twice: to the function's first
   * line, and, through the module's own debug information, to the line of the very instruction
   * (the call that faulted, or the call a return address comes back from).
   */
  private emitOops(oops: Oops): void {
    const texts = perModule((m) => this.listingOf(m).text);
    const frames = oopsFrames(oops.text, texts).map((frame) => {
      const module = frame.listingModule;
      if (!module || frame.module !== module || frame.offset === undefined) return frame;
      const { variant, learner } = this.slots[module];
      const table = learner ? learner.lineTable : this.artifacts?.lineTables[variant][module];
      // A traced call is made with its real return address (kernelStepper.ts), so a call-trace
      // entry is a return address, traced or not: its call is the instruction before it.
      const line = table && lineAt(table, frame.symbol, frame.offset, !frame.rip);
      if (line === undefined) return frame;
      return { ...frame, line, call: callOnLine(texts[module], line) };
    });
    this.emit({ type: "oops", text: oops.text, frames }, oops.usec);
  }

  private onExit(vm: Vm, reason: VmExitReason, detail: string): void {
    this.idle.stop();
    this.clearSyncs();
    this.clearTcpReads();
    this.stepping.vmGone();
    // A VM that never got to its init still shows how far its kernel came.
    this.emitBoot();
    this.oops.close();
    if (this.vm === vm) this.vm = undefined;
    this.lease?.release();
    this.lease = undefined;
    for (const pending of this.pending.values()) pending.resolve(undefined);
    this.pending.clear();
    for (const module of MODULES) {
      const slot = this.slots[module];
      if (slot.state === "unloaded") continue;
      slot.state = "unloaded";
      this.setState(module, slot);
    }
    const why =
      reason === "panic"
        ? "the kernel panicked"
        : reason === "time-limit"
          ? "the VM reached its time limit"
          : reason === "idle"
            ? idleReason(this.idle.idleMs)
            : reason;
    this.console(`[VM stopped: ${why}]`);
    // The code is what the page words (in its language); detail keeps the English for logs and tools.
    this.status({
      status: "stopped",
      reason,
      ...(reason === "idle" ? { idleMs: this.idle.idleMs } : {}),
      detail: reason === "exited" ? detail : reason === "idle" ? idleReason(this.idle.idleMs) : reason,
    });
  }

  /** The C a module's slot runs: the learner's build, or the shipped listing. */
  private listingOf(module: ModuleName): Listing {
    const slot = this.slots[module];
    return slot.learner?.listing ?? this.listings[slot.variant][module];
  }

  private freshSlot(): Slot {
    return { state: "unloaded", variant: this.variant };
  }

  private status(event: Omit<ServerEventOf<"engine">, "type" | "engine">): void {
    this.log.notice({ type: "engine", engine: "real-kernel", ...event });
  }

  private console(text: string): void {
    this.emit({ type: "console", text });
  }

  private setState(module: ModuleName, slot: Slot, initResult?: number): void {
    const learnerBuild = slot.learner?.buildId;
    this.emit({
      type: "module.state",
      module,
      state: slot.state,
      variant: slot.variant,
      initResult,
      ...(learnerBuild === undefined ? {} : { learnerBuild }),
    });
  }

  /** Stamps an event with the kernel's clock: its own timestamp, or the latest the kernel printed. */
  private emit(event: LabEventBody, usec?: number): void {
    this.log.emit(event, usec === undefined ? undefined : usec / 1e6);
    if ((event.type === "step" && event.phase === "exit") || event.type === "module.state")
      this.scheduleTcpRead();
  }

  /**
   * A read soon after a call (not postponed by the calls after it: a traced run makes them faster
   * than the delay, and a read put off at each would never come), and one more after the last call
   * of a burst has settled.
   */
  private scheduleTcpRead(): void {
    const vm = this.vm;
    if (!vm?.running || this.bootLog) return;
    const [soonMs, settledMs] = TCP_READ_AFTER_MS;
    this.tcpSoon ??= this.life.timeout(() => {
      this.tcpSoon = undefined;
      void this.untilDisposed(() => this.readGuestTcp(vm));
    }, soonMs);
    this.tcpSettled?.();
    this.tcpSettled = this.life.timeout(
      () => void this.untilDisposed(() => this.readGuestTcp(vm)),
      settledMs,
    );
  }

  private clearTcpReads(): void {
    this.tcpSoon?.();
    this.tcpSettled?.();
    this.tcpSoon = undefined;
    this.tcpSettled = undefined;
  }

  /** Reads the guest's /proc/net/tcp (never the host's) and sends the lab port's rows when they changed. */
  private async readGuestTcp(vm: Vm): Promise<void> {
    // A VM held by the debugger runs no command until it is released: the next call's read comes then.
    if (this.tcpReading || !vm.running || this.stepping.vmPaused) return;
    this.tcpReading = true;
    try {
      const lines = await this.life.guard(
        new Promise<string[] | undefined>((resolve) => {
          const pending: Pending = {
            quiet: true,
            output: [],
            resolve: (rc) => resolve(rc === 0 ? pending.output : undefined),
          };
          this.pending.set(vm.command(["tcp", "-", "-"]), pending);
        }),
      );
      if (!lines || this.vm !== vm) return;
      const rows = guestTcpRows(lines);
      const shown = JSON.stringify(rows);
      if (shown === this.tcpShown) return;
      this.tcpShown = shown;
      this.emit({ type: "tcp.state", rows });
    } finally {
      this.tcpReading = false;
    }
  }
}
