import { performance } from "node:perf_hooks";
import WebSocket from "ws";
import type { ClientCommand, ServerEvent } from "../shared/protocol/messages.ts";
import { labSocketUrl } from "../test/helpers/labSocketUrl.ts";

type Arrival = { event: ServerEvent; at: number };

/** A learner's tab on the real kernel, without the page: every event kept with when it arrived. */
export class RealKernelTab {
  readonly arrivals: Arrival[] = [];
  private constructor(private readonly ws: WebSocket) {
    ws.on("message", (data) =>
      this.arrivals.push({ event: JSON.parse(String(data)), at: performance.now() }),
    );
    ws.on("error", () => {});
  }

  static async open(appUrl: string): Promise<RealKernelTab> {
    const tab = new RealKernelTab(new WebSocket(labSocketUrl(appUrl)));
    await tab.waitFor((e) => e.type === "hello", 30_000);
    return tab;
  }

  send(command: ClientCommand): number {
    this.ws.send(JSON.stringify(command));
    return performance.now();
  }

  /** The first event after `from` (an index into arrivals) that matches; polls, never sleeps a fixed time. */
  async waitFor(match: (e: ServerEvent) => boolean, timeoutMs: number, from = 0): Promise<Arrival> {
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      const found = this.arrivals.slice(from).find((a) => match(a.event));
      if (found) return found;
      const stopped = this.arrivals
        .slice(from)
        .find((a) => a.event.type === "engine" && a.event.status === "stopped");
      if (stopped && stopped.event.type === "engine")
        throw new Error(`the VM stopped: ${stopped.event.detail ?? ""}`);
      if (performance.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 2));
    }
  }

  /** Picks the real kernel and the listing; resolves once the VM's init takes commands. */
  async realKernel(variant: "published" | "fixed", waitReady: boolean, timeoutMs = 180_000): Promise<void> {
    const from = this.arrivals.length;
    this.send({ type: "engine.select", engine: "real-kernel" });
    this.send({ type: "variant.select", variant });
    if (waitReady) await this.waitFor((e) => e.type === "engine" && e.status === "ready", timeoutMs, from);
  }

  /**
   * Start server (the fixed one, so rmmod ends it) → its first printk; resolves with that time in ms
   * and leaves the module live.
   */
  async startServer(timeoutMs = 300_000): Promise<number> {
    const from = this.arrivals.length;
    const sent = this.send({ type: "module.load", module: "server" });
    const first = await this.waitFor((e) => e.type === "printk" && e.source === "server", timeoutMs, from);
    await this.waitFor(
      (e) => e.type === "module.state" && e.module === "server" && e.state === "live",
      timeoutMs,
      from,
    );
    return first.at - sent;
  }

  async stopServer(timeoutMs = 60_000): Promise<void> {
    const from = this.arrivals.length;
    this.send({ type: "module.unload", module: "server" });
    await this.waitFor(
      (e) => e.type === "module.state" && e.module === "server" && e.state === "unloaded",
      timeoutMs,
      from,
    );
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      if (this.ws.readyState === WebSocket.CLOSED) return resolve();
      this.ws.once("close", () => resolve());
      this.ws.close();
    });
  }
}
