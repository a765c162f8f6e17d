import type { WebSocket } from "ws";
import { type ClientCommand, ClientCommandSchema, PROTOCOL_VERSION, type ServerEvent, assertNever } from "../shared/protocol.ts";
import { LabKernel } from "./lab/labKernel.ts";
import { listings } from "./lab/listingSources.ts";

export type SessionOptions = { labPort: number; preferredPort: number; onClose: () => void };

/**
 * One browser tab's lab: it owns the WebSocket's listeners and the lab kernel, validates every
 * frame at this edge, and on close disposes the lab so every socket it opened is released.
 */
export class Session {
  readonly lab: LabKernel;
  private closed = false;

  constructor(
    private readonly ws: WebSocket,
    private readonly options: SessionOptions,
  ) {
    this.lab = new LabKernel({ port: options.labPort, emit: (event) => this.send(event) });
    ws.on("message", (data, isBinary) => this.onFrame(data, isBinary));
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
    if (this.ws.readyState === this.ws.OPEN) this.ws.send(JSON.stringify(event));
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.lab.dispose();
    this.options.onClose();
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
        ? this.refuse("bad-message", `invalid "${String(type)}" command: ${parsed.error.issues[0]?.message ?? ""}`)
        : this.refuse("unknown-command", `unknown command ${JSON.stringify(type ?? null).slice(0, 80)}`);
    }
    this.handle(parsed.data);
  }

  private refuse(code: "bad-json" | "bad-message" | "unknown-command", message: string): void {
    this.send({ type: "error", code, message });
  }

  private handle(command: ClientCommand): void {
    const lab = this.lab;
    switch (command.type) {
      case "module.load":
        return this.track(lab.insmod(command.module));
      case "module.unload":
        return this.track(lab.rmmod(command.module));
      case "variant.select":
        if (!listings()[command.variant]) {
          return this.send({ type: "error", code: "refused", message: `the ${command.variant} listing is not available` });
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

  private sendSettings(): void {
    this.send({ type: "settings", variant: this.lab.variant, stepMode: this.lab.stepMode });
  }

  /** A module that throws is a bug in the lab, not in the learner's input: say so and stay up. */
  private track(run: Promise<void>): void {
    run.catch((err: unknown) => {
      this.send({ type: "error", code: "internal", message: `the lab failed: ${(err as Error).message}` });
    });
  }
}
