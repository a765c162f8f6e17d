import type { WebSocket } from "ws";
import {
  type ClientCommand,
  ClientCommandSchema,
  PROTOCOL_VERSION,
  type ServerEvent,
  type ServerEventOf,
  assertNever,
} from "../shared/protocol/messages.ts";
import {
  DEFAULT_SEND_BUFFER_LIMIT,
  NOT_READING_CLOSE,
  notReadingMessage,
  SendBufferWatch,
} from "./backPressure.ts";
import { IdleTimer } from "./idleTimer.ts";
import { LabKernel } from "./lab/labKernel.ts";
import { listings } from "./lab/listingSources.ts";
import { RealKernelEngine } from "./realKernel/engine.ts";
import { FrameBudget, type RateLimit } from "./rateLimit.ts";
import { type Corkable, TickCork } from "./tickCork.ts";

export type SessionOptions = {
  labPort: number;
  preferredPort: number;
  onClose: () => void;
  /** Frames per connection: over it, one `rate-limited` error and the frames are not processed. */
  rateLimit: RateLimit;
  /** The session ends after this long without a command (the learner is told first). */
  idleTimeoutMs: number;
  /** The WebSocket's TCP socket: the frames of one tick are written to it in one system call. */
  transport?: Corkable;
  /** Unsent bytes the WebSocket may hold for this client before the session is dropped. */
  sendBufferLimit?: number;
  /** Sockets the lab's modules may hold open at once (sock_create_kern fails with -ENFILE past it). */
  labSocketLimit?: number;
  /** The client's remote address: real-kernel VMs are capped per address. */
  remoteAddress?: string;
};

/**
 * One browser tab's lab: it owns the WebSocket's listeners and the lab kernel, validates every
 * frame at this edge, and on close disposes the lab so every socket it opened is released.
 */
export class Session {
  readonly lab: LabKernel;
  private closed = false;
  /** Set while the learner has chosen "Real kernel": module commands go to its VM instead. */
  private realKernel: RealKernelEngine | undefined;
  private readonly budget: FrameBudget;
  private readonly idle: IdleTimer;
  /** One numbering for the whole session: the Node lab and the real kernel take turns, seq never repeats. */
  private seq = 0;
  private readonly nextSeq = () => ++this.seq;
  private readonly cork: TickCork | undefined;
  private readonly sendBuffer: SendBufferWatch;

  constructor(
    private readonly ws: WebSocket,
    private readonly options: SessionOptions,
  ) {
    this.lab = new LabKernel({
      port: options.labPort,
      emit: (event) => this.send(event),
      nextSeq: this.nextSeq,
      socketLimit: options.labSocketLimit,
    });
    this.budget = new FrameBudget(options.rateLimit);
    this.cork = options.transport && new TickCork(options.transport);
    const limit = options.sendBufferLimit ?? DEFAULT_SEND_BUFFER_LIMIT;
    this.sendBuffer = new SendBufferWatch(ws, limit, () => this.dropNonReader(limit));
    this.idle = new IdleTimer(options.idleTimeoutMs, () => {
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
      variant: this.lab.variant,
      stepMode: this.lab.stepMode,
    });
  }

  send(event: ServerEvent): void {
    if (this.ws.readyState !== this.ws.OPEN || this.sendBuffer.over) return;
    this.cork?.hold();
    this.ws.send(JSON.stringify(event));
    this.sendBuffer.check();
  }

  /** Back-pressure: the reason goes last into the queue the client is not reading, then the close. */
  private dropNonReader(limit: number): void {
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
    this.lab.dispose();
    this.realKernel?.dispose();
    this.options.onClose();
  }

  /** The rate limit comes first; a frame that makes validation itself throw is still only an error event. */
  private receive(data: unknown, isBinary: boolean): void {
    if (this.closed) return;
    const verdict = this.budget.admit();
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
    const lab = this.lab;
    switch (command.type) {
      case "module.load":
        return this.track(
          this.realKernel ? this.realKernel.insmod(command.module) : lab.insmod(command.module),
        );
      case "module.unload":
        return this.track(
          this.realKernel ? this.realKernel.rmmod(command.module) : lab.rmmod(command.module),
        );
      case "engine.select":
        return this.selectEngine(command.engine);
      case "engine.restart":
        return this.realKernel?.restart();
      case "variant.select":
        // The real kernel runs the C listings alone, so it needs no TS module of the variant.
        if (this.realKernel) {
          this.realKernel.variant = command.variant;
          return this.sendSettings();
        }
        if (!listings()[command.variant]) {
          return this.send({
            type: "error",
            code: "refused",
            message: `the ${command.variant} listing is not available`,
          });
        }
        lab.variant = command.variant;
        return this.sendSettings();
      case "stepMode.set":
        lab.setStepMode(command.enabled);
        return this.sendSettings();
      case "step.next":
        return lab.stepNext(command.module);
      case "step.continue":
        return lab.stepContinue(command.module);
      default:
        return assertNever(command);
    }
  }

  /** Switching away from the real kernel powers its VM off, freeing the slot for another session. */
  private selectEngine(engine: "node" | "real-kernel"): void {
    if (engine === "node") {
      this.realKernel?.dispose();
      this.realKernel = undefined;
      this.send({ type: "engine", engine: "node", status: "ready" });
      return this.sendSettings();
    }
    this.realKernel ??= new RealKernelEngine({
      emit: (event) => this.send(event),
      nextSeq: this.nextSeq,
      variant: this.lab.variant,
      owner: this.options.remoteAddress,
    });
    this.realKernel.announce();
  }

  private sendSettings(): void {
    this.send({
      type: "settings",
      variant: this.realKernel?.variant ?? this.lab.variant,
      stepMode: this.lab.stepMode,
    });
  }

  /** A module that throws is a bug in the lab, not in the learner's input: say so and stay up. */
  private track(run: Promise<void>): void {
    run.catch((err: unknown) => {
      this.send({ type: "error", code: "internal", message: `the lab failed: ${(err as Error).message}` });
    });
  }
}
