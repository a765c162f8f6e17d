import type { SyscallViewState } from "../../shared/protocol/syscallMessages.ts";
import type { Variant } from "../../shared/protocol/steps.ts";
import type { Engine } from "../engine/engine.ts";
import type { EventStamper } from "../engine/eventStamper.ts";
import { LabKernel } from "../lab/labKernel.ts";
import { TracedLab } from "./tracedLab.ts";
import type { TraceSlots, TraceTicket } from "./traceSlots.ts";

export type SyscallViewOptions = {
  slots: TraceSlots | undefined;
  stamper: EventStamper;
  port: number;
  socketLimit?: number;
  settings: () => { variant: Variant; stepMode: boolean };
  /** The session's Node lab, in use or hidden. */
  nodeLab: () => Engine | undefined;
  /** Another engine (the real kernel) is shown: its modules make no system calls to trace. */
  otherEngineShown: () => boolean;
  /** Puts `after` where the session holds `before` (in use or hidden). */
  replace: (before: Engine, after: Engine) => void;
};

/**
 * One session's System calls view: on, its Node lab is reset into a TracedLab (a worker under
 * strace) once a slot is free; off, back into a plain LabKernel. The learner sees both switches
 * (their modules are unloaded, the log says why). A session that never opens the tab pays nothing.
 */
export class SyscallView {
  private ticket: TraceTicket | undefined;
  private traced: TracedLab | undefined;
  private disposed = false;

  constructor(private readonly options: SyscallViewOptions) {}

  set(on: boolean): void {
    if (this.disposed) return;
    if (!on) return this.stop();
    if (this.options.otherEngineShown())
      return this.status(
        "off",
        "the real kernel runs the modules themselves: a module makes no system calls",
      );
    if (this.traced) return this.status("tracing");
    if (this.ticket) return;
    const slots = this.options.slots;
    if (!slots || slots.max === 0)
      return this.status("unavailable", "the System calls view is off on this server (SYSCALL_VIEW_MAX=0)");
    const ticket = slots.request(() => this.enter());
    this.ticket = ticket;
    if (ticket.granted) return this.enter();
    this.status(
      "queued",
      `${slots.max} labs are traced already, the most this server runs at once (SYSCALL_VIEW_MAX); yours starts when one of them closes its tab${ticket.ahead > 0 ? ` (${ticket.ahead} ahead of you)` : ""}`,
    );
  }

  dispose(): void {
    this.disposed = true;
    this.ticket?.release();
    this.ticket = undefined;
    // The TracedLab itself is one of the session's engines: the session disposes it.
    this.traced = undefined;
  }

  /** A slot is ours: the Node lab is ended and a traced one takes its place, on the same clock. */
  private enter(): void {
    const before = this.options.nodeLab();
    if (this.disposed || !before) {
      this.ticket?.release();
      this.ticket = undefined;
      return;
    }
    const elapsedMs = "startedAt" in before ? performance.now() - Number(before.startedAt) : 0;
    before.dispose();
    const traced = new TracedLab({
      port: this.options.port,
      stamper: this.options.stamper,
      socketLimit: this.options.socketLimit,
      elapsedMs,
      ...this.options.settings(),
      onGiveUp: () => queueMicrotask(() => this.stop()),
    });
    this.traced = traced;
    this.options.replace(before, traced);
    traced.announce();
  }

  private stop(): void {
    this.ticket?.release();
    this.ticket = undefined;
    const traced = this.traced;
    this.traced = undefined;
    if (traced) {
      traced.dispose();
      const plain = new LabKernel({
        port: this.options.port,
        stamper: this.options.stamper,
        socketLimit: this.options.socketLimit,
        startedAt: traced.startedAt,
        variant: this.options.settings().variant,
      });
      plain.setStepMode(this.options.settings().stepMode);
      plain.announceUnloaded();
      this.options.replace(traced, plain);
    }
    this.status("off");
  }

  private status(state: SyscallViewState, reason?: string): void {
    this.options.stamper.notice({ type: "syscalls.status", state, ...(reason ? { reason } : {}) });
  }
}
