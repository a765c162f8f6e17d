import { vi } from "vitest";
import WebSocket from "ws";
import type { ClientCommand, ServerEvent } from "../../shared/protocol/messages.ts";
import { ServerEventSchema } from "../../shared/protocol/messages.ts";
import type { ModuleName, StepId } from "../../shared/protocol/steps.ts";
import { isStep, type StepEventOf, type StepPhase } from "./stepEvents.ts";

/** A test's browser stand-in: a real WebSocket to the app that records every (validated) event. */
export class LabClient {
  readonly events: ServerEvent[] = [];
  readonly ws: WebSocket;
  private constructor(url: string, origin?: string, options?: WebSocket.ClientOptions) {
    this.ws = new WebSocket(url, origin || options ? { ...options, origin } : undefined);
    this.ws.on("message", (data) => this.events.push(ServerEventSchema.parse(JSON.parse(String(data)))));
    // Deliberately empty: a refused or reset connection shows in a test as the close it causes.
    this.ws.on("error", () => {});
  }

  /** `options`: what a browser or a proxy would add (headers, cookies, the local address dialled from). */
  static async open(appUrl: string, origin?: string, options?: WebSocket.ClientOptions): Promise<LabClient> {
    const client = new LabClient(`${appUrl.replace(/^http/, "ws")}/ws`, origin, options);
    await new Promise<void>((resolve, reject) => {
      client.ws.once("open", () => resolve());
      client.ws.once("error", reject);
    });
    await client.waitFor((e) => e.type === "hello");
    return client;
  }

  send(command: ClientCommand | string): void {
    this.ws.send(typeof command === "string" ? command : JSON.stringify(command));
  }

  of<T extends ServerEvent["type"]>(type: T): Extract<ServerEvent, { type: T }>[] {
    return this.events.filter((e): e is Extract<ServerEvent, { type: T }> => e.type === type);
  }

  printk(): string[] {
    return this.of("printk").map((e) => e.text);
  }

  console(): string[] {
    return this.of("console").map((e) => e.text);
  }

  /** Polls (vi.waitFor) until an event matching `match` has arrived; never sleeps a fixed time. */
  async waitFor<E extends ServerEvent>(
    match: ((e: ServerEvent) => e is E) | ((e: ServerEvent) => boolean),
    timeoutMs = 5000,
  ): Promise<E> {
    try {
      return await vi.waitFor(
        () => {
          const found = this.events.find(match);
          if (!found) throw new Error("not yet");
          return found as E;
        },
        { timeout: timeoutMs, interval: 5 },
      );
    } catch {
      throw new Error(
        `no matching event within ${timeoutMs} ms; got:\n${this.events.map((e) => JSON.stringify(e)).join("\n")}`,
      );
    }
  }

  /** Waits for one moment of a step: `waitForStep("server", "accept", "enter")`. */
  waitForStep<P extends StepPhase>(
    module: ModuleName,
    step: StepId,
    phase: P,
    timeoutMs?: number,
  ): Promise<StepEventOf<P>> {
    return this.waitFor(isStep(module, step, phase), timeoutMs);
  }

  /** The first recorded moment of a step, if it has happened. */
  findStep<P extends StepPhase>(module: ModuleName, step: StepId, phase: P): StepEventOf<P> | undefined {
    return this.events.find(isStep(module, step, phase));
  }

  waitForState(module: ModuleName, state: string): Promise<ServerEvent> {
    return this.waitFor((e) => e.type === "module.state" && e.module === module && e.state === state);
  }

  async close(): Promise<void> {
    if (this.ws.readyState === WebSocket.CLOSED) return;
    await new Promise<void>((resolve) => {
      this.ws.once("close", () => resolve());
      this.ws.close();
    });
  }
}
