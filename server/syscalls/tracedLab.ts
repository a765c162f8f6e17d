import { type ChildProcess, spawn } from "node:child_process";
import type { LabEvent, ServerEvent } from "../../shared/protocol/messages.ts";
import { MAX_SYSCALL_BATCH, type SyscallLine } from "../../shared/protocol/syscallMessages.ts";
import type { ModuleName, Variant } from "../../shared/protocol/steps.ts";
import type { Engine, StepControls } from "../engine/engine.ts";
import type { EngineLog, EventStamper, LabEventBody } from "../engine/eventStamper.ts";
import { findStrace, straceArgs } from "./straceAvailability.ts";
import { StraceReader } from "./straceLine.ts";
import { SyscallAttribution } from "./syscallAttribution.ts";
import { workerCommand } from "./workerBundle.ts";
import type { WorkerCommand, WorkerReport } from "./workerMessages.ts";

export type TracedLabOptions = {
  port: number;
  stamper: EventStamper;
  variant: Variant;
  stepMode: boolean;
  socketLimit?: number;
  /** The session's lab clock so far (ms): the traced lab's events go on from it. */
  elapsedMs: number;
  /** Called once the traced lab has given up (strace kept dying): the session goes back to the plain lab. */
  onGiveUp?: (reason: string) => void;
};

/** strace or the worker dying this many times in a row ends the traced lab. */
const MAX_RESPAWNS = 3;
/** strace's lines are read whole; a longer one is cut (its arguments are already capped at 32 bytes). */
const MAX_PENDING_TEXT = 64 * 1024;

type Call = { resolve: (refused: string | undefined) => void };

/**
 * The Node lab in a worker process of its own under strace, for the learner who opened the System
 * calls tab. It is an Engine like LabKernel: commands go to the worker over IPC, the worker's lab
 * events come back onto the session's numbering, and strace's lines are turned into the lab's
 * system calls. strace is the worker's parent, so a strace that dies ends only the worker, which
 * is started again; dispose kills both and nothing of them outlives the session.
 */
export class TracedLab implements Engine, StepControls {
  readonly kind = "node";
  readonly keepsStateWhenHidden = true;
  readonly onHostPorts = true;
  readonly stepping: StepControls = this;
  variant: Variant;
  stepMode: boolean;
  /** The lab clock's zero, on this process's performance.now(). */
  readonly startedAt: number;
  private readonly log: EngineLog;
  private strace: ChildProcess | undefined;
  private workerPid: number | undefined;
  private disposed = false;
  private respawns = 0;
  private nextId = 1;
  private readonly calls = new Map<number, Call>();
  /** Commands sent before the worker said ready wait here. */
  private queue: WorkerCommand[] = [];
  private ready = false;
  private batch: SyscallLine[] = [];
  private flushTimer: NodeJS.Immediate | undefined;

  constructor(private readonly options: TracedLabOptions) {
    this.variant = options.variant;
    this.stepMode = options.stepMode;
    this.startedAt = performance.now() - options.elapsedMs;
    this.log = options.stamper.log(() => (performance.now() - this.startedAt) / 1000);
    void this.start();
  }

  announce(): void {
    this.log.notice({ type: "engine", engine: "node", status: "ready" });
  }

  selectVariant(variant: Variant): string | undefined {
    this.variant = variant;
    this.command({ type: "selectVariant", id: 0, variant });
    return undefined;
  }

  async insmod(module: ModuleName): Promise<void> {
    await this.request({ type: "insmod", id: 0, module });
  }

  async rmmod(module: ModuleName): Promise<void> {
    await this.request({ type: "rmmod", id: 0, module });
  }

  async reset(): Promise<Engine> {
    await this.request({ type: "reset", id: 0 });
    return this;
  }

  setStepMode(enabled: boolean): void {
    this.stepMode = enabled;
    this.command({ type: "setStepMode", id: 0, enabled });
  }

  stepNext(module: ModuleName): void {
    this.command({ type: "stepNext", id: 0, module });
  }

  stepContinue(module: ModuleName): void {
    this.command({ type: "stepContinue", id: 0, module });
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.stop();
    for (const call of this.calls.values()) call.resolve(undefined);
    this.calls.clear();
    if (this.flushTimer) clearImmediate(this.flushTimer);
    this.log.close();
  }

  private request(command: WorkerCommand): Promise<string | undefined> {
    if (this.disposed) return Promise.resolve(undefined);
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.calls.set(id, { resolve });
      this.command({ ...command, id } as WorkerCommand);
    });
  }

  private command(command: WorkerCommand): void {
    if (this.disposed) return;
    if (!this.ready) this.queue.push(command);
    else this.strace?.send(command);
  }

  private async start(): Promise<void> {
    const strace = findStrace();
    if (!strace) {
      this.status("unavailable", "strace is not installed on the server (apt-get install strace)");
      return;
    }
    this.status("starting");
    const node = await workerCommand();
    if (this.disposed) return;
    // strace is the parent: the worker inherits the IPC channel through it (NODE_CHANNEL_FD).
    const child = spawn(strace, straceArgs(node), {
      stdio: ["ignore", "ignore", "pipe", "ipc"],
      // io_uring would hide the socket calls from epoll_ctl and read/write; libuv falls back to epoll.
      env: { ...process.env, UV_USE_IO_URING: "0" },
    });
    this.strace = child;
    this.ready = false;
    const reader = new StraceReader();
    const attribution = new SyscallAttribution(this.options.port);
    let partial = "";
    child.stderr?.setEncoding("utf8");
    child.stderr?.on("data", (chunk: string) => {
      partial += chunk;
      const lines = partial.split("\n");
      partial = (lines.pop() ?? "").slice(-MAX_PENDING_TEXT);
      for (const text of lines) {
        const line = reader.read(text);
        if (line) this.push(attribution.take(line));
      }
    });
    child.on("message", (reports: WorkerReport[]) => {
      for (const report of reports) this.onReport(child, report);
    });
    child.on("error", (err) => this.onExit(child, `strace could not start: ${err.message}`));
    child.on("exit", (code, signal) => this.onExit(child, `strace ended (${signal ?? `exit ${code}`})`));
  }

  private onReport(child: ChildProcess, message: WorkerReport): void {
    if (this.disposed || child !== this.strace) return;
    switch (message.type) {
      case "ready": {
        this.workerPid = message.pid;
        this.ready = true;
        child.send({
          type: "start",
          port: this.options.port,
          variant: this.variant,
          stepMode: this.stepMode,
          socketLimit: this.options.socketLimit,
          elapsedMs: performance.now() - this.startedAt,
        } satisfies WorkerCommand);
        for (const queued of this.queue.splice(0)) child.send(queued);
        this.status("tracing");
        return;
      }
      case "event": {
        const { seq: _seq, t, ...body } = message.event as LabEvent;
        if (body.type === "step" || body.type === "step.waiting") this.respawns = 0;
        return this.log.emit(body as LabEventBody, t);
      }
      case "notice":
        return this.log.notice(message.event as ServerEvent);
      case "done": {
        const call = this.calls.get(message.id);
        this.calls.delete(message.id);
        if (message.error)
          this.log.notice({ type: "error", code: "internal", message: `the lab failed: ${message.error}` });
        call?.resolve(message.refused);
        return;
      }
    }
  }

  /** strace (or the worker under it) is gone: the worker is made sure dead, and the lab starts again. */
  private onExit(child: ChildProcess, why: string): void {
    if (child !== this.strace) return;
    this.stop();
    if (this.disposed) return;
    for (const call of this.calls.values()) call.resolve(undefined);
    this.calls.clear();
    this.queue = [];
    if (++this.respawns > MAX_RESPAWNS) {
      this.status("failed", `${why}; the traced lab stopped after ${MAX_RESPAWNS} restarts`);
      this.options.onGiveUp?.(why);
      return;
    }
    this.log.emit({ type: "console", text: `# ${why}: the traced lab starts again, its modules unloaded` });
    void this.start();
  }

  /** Kills strace and the worker (strace's death alone would leave it running untraced, or worse). */
  private stop(): void {
    const child = this.strace;
    this.strace = undefined;
    this.ready = false;
    if (this.workerPid !== undefined) {
      try {
        process.kill(this.workerPid, "SIGKILL");
      } catch {
        // already gone
      }
      this.workerPid = undefined;
    }
    if (child) {
      if (child.connected) child.disconnect();
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    }
  }

  private push(lines: SyscallLine[]): void {
    if (lines.length === 0 || this.disposed) return;
    this.batch.push(...lines);
    this.flushTimer ??= setImmediate(() => this.flush());
  }

  private flush(): void {
    this.flushTimer = undefined;
    while (this.batch.length > 0) {
      this.log.notice({ type: "syscalls", lines: this.batch.splice(0, MAX_SYSCALL_BATCH) });
    }
  }

  private status(state: "starting" | "tracing" | "unavailable" | "failed", reason?: string): void {
    this.log.notice({ type: "syscalls.status", state, mechanism: "strace", ...(reason ? { reason } : {}) });
  }
}
