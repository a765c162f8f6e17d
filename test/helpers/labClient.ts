import WebSocket from "ws";
import type { ClientCommand, ServerEvent } from "../../shared/protocol/messages.ts";
import { ServerEventSchema } from "../../shared/protocol/messages.ts";

/** A test's browser stand-in: a real WebSocket to the app that records every (validated) event. */
export class LabClient {
  readonly events: ServerEvent[] = [];
  readonly ws: WebSocket;
  private constructor(url: string, origin?: string) {
    this.ws = new WebSocket(url, origin ? { origin } : undefined);
    this.ws.on("message", (data) => this.events.push(ServerEventSchema.parse(JSON.parse(String(data)))));
    this.ws.on("error", () => {});
  }

  static async open(appUrl: string, origin?: string): Promise<LabClient> {
    const client = new LabClient(`${appUrl.replace(/^http/, "ws")}/ws`, origin);
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

  /** Polls until an event matching `match` arrives; never sleeps a fixed time. */
  async waitFor(match: (e: ServerEvent) => boolean, timeoutMs = 5000): Promise<ServerEvent> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.events.find(match);
      if (found) return found;
      if (Date.now() > deadline) {
        throw new Error(
          `no matching event within ${timeoutMs} ms; got:\n${this.events.map((e) => JSON.stringify(e)).join("\n")}`,
        );
      }
      await new Promise((r) => setTimeout(r, 5));
    }
  }

  waitForState(module: "server" | "client", state: string): Promise<ServerEvent> {
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
