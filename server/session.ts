import type { WebSocket } from "ws";
import {
  type ClientCommand,
  ClientCommandSchema,
  PROTOCOL_VERSION,
  type ServerEvent,
  type ServerEventOf,
  assertNever,
} from "../shared/protocol/messages.ts";
import { MODULES, type ModuleName, type Variant } from "../shared/protocol/steps.ts";
import type { Engine, EngineKind } from "./engine/engine.ts";
import {
  createEngine,
  createLearnerBuilds,
  DEFAULT_ENGINE,
  kernelReleasesHere,
  runEndedText,
  SYSCALL_TRACED_ENGINE,
} from "./engine/engines.ts";
import { EventStamper } from "./engine/eventStamper.ts";
import {
  DEFAULT_SEND_BUFFER_LIMIT,
  NOT_READING_CLOSE,
  notReadingMessage,
  SendBufferWatch,
} from "./transport/backPressure.ts";
import { IdleTimer } from "./transport/idleTimer.ts";
import { LAB_LOOPBACK } from "./lab/labAddress.ts";
import { PortOccupier } from "./kernelTruth/portOccupier.ts";
import { findPortHolder } from "./kernelTruth/portHolder.ts";
import { FrameBudget, type RateLimit } from "./transport/rateLimit.ts";
import { type Pausable, ReadThrottle } from "./transport/readThrottle.ts";
import { type Corkable, TickCork } from "./transport/tickCork.ts";
import type { TraceSlots } from "./syscalls/traceSlots.ts";
import { SyscallView } from "./syscalls/syscallView.ts";

export type SessionOptions = {
  labPort: number;
  preferredPort: number;
  onClose: () => void;
  /** Frames per connection: over it, one `rate-limited` error and the frames are not processed. */
  rateLimit: RateLimit;
  /** The session ends after this long without a command (the learner is told first). */
  idleTimeoutMs: number;
  /** The WebSocket's TCP socket: the frames of one tick are written to it in one system call. */
  transport?: Corkable & Pausable;
  /** Unsent bytes the WebSocket may hold for this client before the session is dropped. */
  sendBufferLimit?: number;
  /** Sockets the lab's modules may hold open at once (sock_create_kern fails with -ENFILE past it). */
  labSocketLimit?: number;
  /** Who the learner is (a browser's id, or its address): real-kernel VMs are capped per learner. */
  remoteAddress?: string;
  /** The session dropped its client (not reading, idle): counted by reason in /metrics. */
  onDrop?: (reason: "not-reading" | "idle") => void;
  /** From a command to the first step event it caused, in seconds (the step latency /metrics shows). */
  onStepLatency?: (engine: EngineKind, seconds: number) => void;
  /** The cap on traced labs (System calls tab); without it the view is off on this server. */
  syscallSlots?: TraceSlots;
};

/**
 * One browser tab's lab: it owns the WebSocket's listeners and the engine the learner chose,
 * validates every frame at this edge, and on close disposes every engine so all they opened is
 * released. It never asks which engine it holds: what differs between engines is in `Engine`.
 */
export class Session {
  private closed = false;
  /** The engine module commands go to. */
  private engine: Engine;
  /** Engines the learner left that keep their state (the Node lab's modules and sockets). */
  private readonly hidden = new Map<EngineKind, Engine>();
  private readonly budget: FrameBudget;
  private readonly idle: IdleTimer;
  /** One numbering for the whole session: engines take turns, seq never repeats. */
  private readonly stamper = new EventStamper((event) => this.send(event));
  /** The learner's choices, carried to each engine they select. */
  private variant: Variant = "published";
  private stepMode = false;
  /** The kernel release the learner picked (real kernel); the lab's default until they pick. */
  private release: string | undefined;
  private releaseEdits = true;
  private readonly cork: TickCork | undefined;
  private readonly throttle: ReadThrottle | undefined;
  private readonly sendBuffer: SendBufferWatch;
  /** "Occupy port N": the session's own listening socket on the lab's port, owned by no module. */
  private readonly portHold: PortOccupier;
  private resetting = false;
  /** When the last command that runs kernel calls arrived, until its first step is sent. */
  private commandAt: number | undefined;
  /** The System calls tab: whether the Node lab runs traced, in a worker under strace. */
  private readonly syscalls: SyscallView;
  /** The learner's own C, built in the sandbox. */
  private readonly learnerBuilds = createLearnerBuilds((event) => this.send(event));

  constructor(
    private readonly ws: WebSocket,
    private readonly options: SessionOptions,
  ) {
    const limit = options.sendBufferLimit ?? DEFAULT_SEND_BUFFER_LIMIT;
    this.sendBuffer = new SendBufferWatch(ws, limit, () => this.dropNonReader(limit));
    this.engine = this.create(DEFAULT_ENGINE);
    this.portHold = new PortOccupier(LAB_LOOPBACK, options.labPort);
    this.syscalls = new SyscallView({
      slots: options.syscallSlots,
      stamper: this.stamper,
      port: options.labPort,
      socketLimit: options.labSocketLimit,
      settings: () => ({ variant: this.variant, stepMode: this.stepMode }),
      nodeLab: () =>
        this.engine.kind === SYSCALL_TRACED_ENGINE ? this.engine : this.hidden.get(SYSCALL_TRACED_ENGINE),
      otherEngineShown: () => this.engine.kind !== SYSCALL_TRACED_ENGINE,
      replace: (before, after) => this.replaceEngine(before, after),
    });
    this.budget = new FrameBudget(options.rateLimit);
    this.cork = options.transport && new TickCork(options.transport);
    this.throttle = options.transport && new ReadThrottle(options.transport);
    this.idle = new IdleTimer(options.idleTimeoutMs, () => {
      options.onDrop?.("idle");
      const minutes = Math.round(options.idleTimeoutMs / 60_000);
      const after =
        minutes >= 1 ? `${minutes} minute${minutes === 1 ? "" : "s"}` : `${options.idleTimeoutMs} ms`;
      this.end(
        "idle",
        `This lab was closed after ${after} without a command. Reload the page to start a new lab.`,
        1000,
        "idle",
      );
    });
    ws.on("message", (data, isBinary) => this.receive(data, isBinary));
    ws.on("close", () => this.close());
    ws.on("error", () => this.close());
    this.send({
      type: "hello",
      protocolVersion: PROTOCOL_VERSION,
      labPort: options.labPort,
      preferredPort: options.preferredPort,
      variant: this.variant,
      stepMode: this.stepMode,
      kernelReleases: kernelReleasesHere(),
    });
  }

  /** The engine the learner has selected now. */
  get engineKind(): EngineKind {
    return this.engine.kind;
  }

  send(event: ServerEvent): void {
    if (this.ws.readyState !== this.ws.OPEN || this.sendBuffer.over) return;
    if (event.type === "step" && this.commandAt !== undefined) {
      this.options.onStepLatency?.(this.engine.kind, (performance.now() - this.commandAt) / 1000);
      this.commandAt = undefined;
    }
    this.cork?.hold();
    this.ws.send(JSON.stringify(event));
    this.sendBuffer.check();
    // Only an engine whose sockets are this machine's has a holder here to name (a VM's ports are the guest's).
    if (this.engine.onHostPorts && isBindInUse(event)) void this.sayWhosePortItIs();
  }

  /**
   * The Node lab's bind met EADDRINUSE: tell the learner whether this lab holds the port (their
   * Occupy port, their own server) or another program on the machine does, which Reset cannot free.
   */
  private async sayWhosePortItIs(): Promise<void> {
    const port = this.options.labPort;
    if (this.portHold.occupied) return this.send({ type: "port.holder", port, outside: false });
    const holder = await findPortHolder(port).catch(() => undefined);
    if (this.closed) return;
    // No listener left in the table (it went away meanwhile): nothing to name.
    const outside = holder !== undefined && !holder.self;
    this.send({
      type: "port.holder",
      port,
      outside,
      ...(outside && holder.pid !== undefined ? { pid: holder.pid } : {}),
      ...(outside && holder.command !== undefined ? { command: holder.command.slice(0, 200) } : {}),
    });
  }

  /** Back-pressure: the reason goes last into the queue the client is not reading, then the close. */
  private dropNonReader(limit: number): void {
    this.options.onDrop?.("not-reading");
    const event: ServerEvent = { type: "error", code: "not-reading", message: notReadingMessage(limit) };
    this.ws.send(JSON.stringify(event));
    this.ws.close(NOT_READING_CLOSE.code, NOT_READING_CLOSE.reason);
    this.close();
  }

  /** Tells the learner why, then closes the WebSocket and releases the lab. */
  end(code: ServerEventOf<"error">["code"], message: string, closeCode: number, reason: string): void {
    if (this.closed) return;
    this.send({ type: "error", code, message });
    if (this.ws.readyState === this.ws.OPEN) this.ws.close(closeCode, reason);
    this.close();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.idle.dispose();
    this.throttle?.dispose();
    this.syscalls.dispose();
    this.learnerBuilds.dispose();
    this.engine.dispose();
    for (const engine of this.hidden.values()) engine.dispose();
    this.hidden.clear();
    this.portHold.dispose();
    this.options.onClose();
  }

  /** The rate limit comes first; a frame that makes validation itself throw is still only an error event. */
  private receive(data: unknown, isBinary: boolean): void {
    if (this.closed) return;
    const verdict = this.budget.admit();
    // Over the limit, the connection is not read until the next frame would be admitted.
    if (verdict !== "process") this.throttle?.hold(1000 / this.options.rateLimit.perSecond);
    if (verdict === "drop") return;
    if (verdict === "refuse") {
      const { burst, perSecond } = this.options.rateLimit;
      const message = `too many messages (over ${burst} at once or ${perSecond} a second): this one and those that follow were not processed`;
      return this.send({ type: "error", code: "rate-limited", message });
    }
    try {
      this.onFrame(data, isBinary);
    } catch {
      this.refuse("bad-message", "the message could not be read");
    }
  }

  private onFrame(data: unknown, isBinary: boolean): void {
    if (isBinary) return this.refuse("bad-message", "binary frames are not part of the protocol");
    let json: unknown;
    try {
      json = JSON.parse(String(data));
    } catch {
      return this.refuse("bad-json", "the message is not valid JSON");
    }
    const parsed = ClientCommandSchema.safeParse(json);
    if (!parsed.success) {
      const type = (json as { type?: unknown } | null)?.type;
      const known = ClientCommandSchema.options.some((o) => o.shape.type.value === type);
      return known
        ? this.refuse(
            "bad-message",
            `invalid "${String(type)}" command: ${parsed.error.issues[0]?.message ?? ""}`,
          )
        : this.refuse("unknown-command", `unknown command ${JSON.stringify(type ?? null).slice(0, 80)}`);
    }
    this.handle(parsed.data);
  }

  private refuse(code: "bad-json" | "bad-message" | "unknown-command", message: string): void {
    this.send({ type: "error", code, message });
  }

  private handle(command: ClientCommand): void {
    this.idle.touch();
    const engine = this.engine;
    if (command.type === "module.load" || command.type === "step.next" || command.type === "step.continue") {
      this.commandAt = performance.now();
    }
    switch (command.type) {
      case "module.load":
        if (command.build !== undefined) return this.loadLearnerBuild(command.module, command.build);
        return this.track(engine.insmod(command.module));
      case "module.unload":
        return this.track(engine.rmmod(command.module));
      case "engine.select":
        return this.selectEngine(command.engine);
      case "engine.restart":
        return engine.restart?.();
      case "kernel.release": {
        this.release = command.release;
        this.releaseEdits = command.edits ?? true;
        const refused = engine.selectRelease?.(command.release, this.releaseEdits);
        if (refused) return this.send({ type: "error", code: "refused", message: refused });
        return;
      }
      case "variant.select": {
        const refused = engine.selectVariant(command.variant);
        if (refused) return this.send({ type: "error", code: "refused", message: refused });
        this.variant = command.variant;
        return this.sendSettings();
      }
      case "stepMode.set":
        this.stepMode = command.enabled;
        engine.stepping?.setStepMode(command.enabled);
        return this.sendSettings();
      case "step.next":
        return engine.stepping?.stepNext(command.module);
      case "step.continue":
        return engine.stepping?.stepContinue(command.module);
      case "lab.reset":
        return this.track(this.resetLab());
      case "port.occupy":
        return this.track(this.occupyPort());
      case "port.free":
        return this.track(this.freePort());
      case "syscalls.trace":
        return this.syscalls.set(command.on);
      case "learner.build":
        return this.learnerBuilds.build(command);
      default:
        return assertNever(command);
    }
  }

  /**
   * The learner's own build of a module, on an engine that runs C. Refused, with why, on the Node
   * lab (it runs only the shipped listings' TS twins) or for a build that is not this learner's
   * latest successful one.
   */
  private loadLearnerBuild(module: ModuleName, buildId: number): void {
    const engine = this.engine;
    if (!engine.insmodLearner) {
      const message = "Your own build runs on the real kernel only: the Node lab runs the shipped listings.";
      return this.send({ type: "error", code: "refused", message });
    }
    const build = this.learnerBuilds.moduleOf(buildId, module);
    if (!build) {
      const message = `Build #${buildId} is not your latest successful build: build again, then start it.`;
      return this.send({ type: "error", code: "refused", message });
    }
    this.track(engine.insmodLearner(module, build));
  }

  /**
   * Reset the lab: the occupied port is freed, and the engine resets itself (the Node lab unloads
   * what rmmod can and replaces itself when a module would not go; a VM is powered off).
   */
  private async resetLab(): Promise<void> {
    if (this.resetting) return;
    this.resetting = true;
    try {
      if (this.portHold.occupied) await this.freePort();
      const engine = this.engine;
      if (!engine.reset) return engine.restart?.();
      const after = await engine.reset();
      if (after !== engine) this.replaceEngine(engine, after);
    } finally {
      this.resetting = false;
    }
  }

  /** Puts `after` where `before` is held (in use, or hidden if the learner switched away meanwhile). */
  private replaceEngine(before: Engine, after: Engine): void {
    if (this.closed) return after.dispose();
    if (this.engine === before) {
      this.engine = after;
      return;
    }
    for (const [kind, hidden] of this.hidden) {
      if (hidden === before) return void this.hidden.set(kind, after);
    }
    after.dispose();
  }

  /** Occupy port holds a port of this machine: an engine whose sockets are elsewhere (a VM) never sees it. */
  private async occupyPort(): Promise<void> {
    if (!this.engine.onHostPorts) {
      return this.send({
        type: "error",
        code: "refused",
        message:
          "Occupy port holds a port of this machine; this engine's sockets live in a VM with ports of its own",
      });
    }
    const hold = await this.portHold.occupy();
    this.send({ type: "port", port: this.portHold.port, ...hold });
  }

  private async freePort(): Promise<void> {
    const hold = await this.portHold.free();
    this.send({ type: "port", port: this.portHold.port, ...hold });
  }

  /**
   * The learner's engine: the one they leave ends its run (its modules' sockets are closed; a VM is
   * powered off, freeing its slot for another session), and says so, so that nothing of its run
   * stays on screen beside the other engine's: its modules unloaded, its sockets gone.
   */
  private selectEngine(kind: EngineKind): void {
    if (kind !== this.engine.kind) {
      const left = this.engine;
      left.dispose();
      this.endRunOf(left.kind, kind);
      const kept = this.hidden.get(kind);
      this.hidden.delete(kind);
      this.engine = kept ?? this.create(kind);
      // The learner's variant and step mode follow them to the engine they chose.
      if (this.engine.variant !== this.variant) this.engine.selectVariant(this.variant);
      this.engine.stepping?.setStepMode(this.stepMode);
    }
    this.engine.announce();
    this.sendSettings();
  }

  /** The left engine's run, ended: one line in the log, its modules unloaded, its socket table empty. */
  private endRunOf(left: EngineKind, chosen: EngineKind): void {
    if (!this.stamper.hasRun(left)) return;
    this.stamper.stampLatest({ type: "console", text: runEndedText(left, chosen) }, left);
    for (const module of MODULES)
      this.stamper.stampLatest(
        { type: "module.state", module, state: "unloaded", variant: this.variant },
        left,
      );
    this.stamper.stampLatest({ type: "tcp.state", rows: [] }, left);
    // Chosen again, the engine's events are a new run of it.
    this.stamper.newRun(left);
  }

  private create(kind: EngineKind): Engine {
    return createEngine(kind, {
      stamper: this.stamper,
      labPort: this.options.labPort,
      variant: this.variant,
      socketLimit: this.options.labSocketLimit,
      owner: this.options.remoteAddress,
      release: this.release,
      releaseEdits: this.releaseEdits,
    });
  }

  /** What the learner's engine runs now: step mode is on only where the engine can step. */
  private sendSettings(): void {
    this.send({
      type: "settings",
      variant: this.engine.variant,
      stepMode: this.engine.stepping?.stepMode ?? false,
    });
  }

  /** A module that throws is a bug in the lab, not in the learner's input: say so and stay up. */
  private track(run: Promise<void>): void {
    run.catch((err: unknown) => {
      this.send({ type: "error", code: "internal", message: `the lab failed: ${(err as Error).message}` });
    });
  }
}

/** A bind that returned -EADDRINUSE. */
function isBindInUse(event: ServerEvent): boolean {
  return event.type === "step" && event.step === "bind" && event.phase === "exit" && event.result === -98;
}
