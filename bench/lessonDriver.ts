import { performance } from "node:perf_hooks";
import WebSocket from "ws";
import {
  type ClientCommand,
  type ServerEvent,
  ServerEventSchema,
  WS_PATH,
} from "../shared/protocol/messages.ts";
import type { ModuleName } from "../shared/protocol/steps.ts";

export type DriverOptions = {
  /** Validate every frame with the protocol's zod schema, as the browser does (P1); P3 only parses. */
  validate: boolean;
  /** How long one awaited event may take before the lesson counts as failed. */
  timeoutMs?: number;
};

type Waiter = {
  match: (e: ServerEvent) => boolean;
  resolve: () => void;
  reject: (err: Error) => void;
  timer: NodeJS.Timeout;
};

/**
 * A learner's tab without the page: one WebSocket to the app that runs the lesson the way a person
 * does it — start the server, wait until it blocks in accept, start the client, wait until both
 * modules are loaded — and then stops both so the lesson can run again in the same session.
 */
export class LessonDriver {
  /** Command sent → the first `step` event of that module, in ms (module.load commands only). */
  readonly stepLatencies: number[] = [];
  readonly problems: string[] = [];
  private readonly waiters = new Set<Waiter>();
  private readonly loadSentAt = new Map<ModuleName, number>();
  private readonly timeoutMs: number;
  private closing = false;

  private constructor(
    private readonly ws: WebSocket,
    private readonly options: DriverOptions,
  ) {
    this.timeoutMs = options.timeoutMs ?? 10_000;
    ws.on("message", (data) => this.onFrame(String(data)));
    ws.on("error", (err) => this.fail(`websocket error: ${err.message}`));
    ws.on("close", () => {
      if (!this.closing) this.fail("websocket closed by the server");
    });
  }

  static async open(appUrl: string, options: DriverOptions): Promise<LessonDriver> {
    const ws = new WebSocket(`${appUrl.replace(/^http/, "ws")}${WS_PATH}`);
    const driver = new LessonDriver(ws, options);
    await driver.waitFor((e) => e.type === "hello");
    return driver;
  }

  /**
   * One lesson from `insmod server.ko` to both modules loaded; resolves with its duration in ms.
   * `pause` is the learner's think time between seeing the server block and starting the client.
   */
  async runLesson(pause?: () => Promise<void>): Promise<number> {
    const start = performance.now();
    const blocked = this.waitFor(
      (e) => e.type === "step" && e.module === "server" && e.step === "accept" && e.phase === "enter",
    );
    this.load("server");
    await blocked;
    await pause?.();
    const bothLive = Promise.all([this.waitForState("server", "live"), this.waitForState("client", "live")]);
    this.load("client");
    await bothLive;
    return performance.now() - start;
  }

  /** rmmod both so the next insmod is not refused with EEXIST. */
  async unloadBoth(): Promise<void> {
    const unloaded = Promise.all([
      this.waitForState("server", "unloaded"),
      this.waitForState("client", "unloaded"),
    ]);
    this.send({ type: "module.unload", module: "server" });
    this.send({ type: "module.unload", module: "client" });
    await unloaded;
  }

  /** Opens the System calls view: the session's lab is reset into a worker under strace. */
  async traceSyscalls(): Promise<void> {
    const tracing = this.waitFor((e) => e.type === "syscalls.status" && e.state === "tracing");
    this.send({ type: "syscalls.trace", on: true });
    await tracing;
  }

  close(): Promise<void> {
    this.closing = true;
    for (const waiter of this.waiters) clearTimeout(waiter.timer);
    this.waiters.clear();
    if (this.ws.readyState === WebSocket.CLOSED) return Promise.resolve();
    return new Promise((resolve) => {
      this.ws.once("close", () => resolve());
      this.ws.close();
    });
  }

  private load(module: ModuleName): void {
    this.loadSentAt.set(module, performance.now());
    this.send({ type: "module.load", module });
  }

  private send(command: ClientCommand): void {
    this.ws.send(JSON.stringify(command));
  }

  private waitForState(module: ModuleName, state: string): Promise<void> {
    return this.waitFor((e) => e.type === "module.state" && e.module === module && e.state === state);
  }

  private waitFor(match: (e: ServerEvent) => boolean): Promise<void> {
    const waited = new Promise<void>((resolve, reject) => {
      const waiter: Waiter = {
        match,
        resolve,
        reject,
        timer: setTimeout(() => {
          this.waiters.delete(waiter);
          reject(new Error(`no awaited event within ${this.timeoutMs} ms`));
        }, this.timeoutMs),
      };
      this.waiters.add(waiter);
    });
    // A failure rejects every waiter at once; whichever the caller awaits reports it.
    waited.catch(() => {});
    return waited;
  }

  private onFrame(text: string): void {
    const json: unknown = JSON.parse(text);
    const event = this.options.validate ? ServerEventSchema.parse(json) : (json as ServerEvent);
    if (event.type === "step") {
      const sentAt = this.loadSentAt.get(event.module);
      if (sentAt !== undefined) {
        this.stepLatencies.push(performance.now() - sentAt);
        this.loadSentAt.delete(event.module);
      }
    } else if (event.type === "error") {
      this.fail(`server error ${event.code}: ${event.message}`);
    } else if (event.type === "module.state" && event.state === "failed") {
      this.fail(`${event.module} failed (${event.initResult})`);
    }
    for (const waiter of this.waiters) {
      if (!waiter.match(event)) continue;
      clearTimeout(waiter.timer);
      this.waiters.delete(waiter);
      waiter.resolve();
    }
  }

  private fail(problem: string): void {
    this.problems.push(problem);
    for (const waiter of this.waiters) {
      clearTimeout(waiter.timer);
      waiter.reject(new Error(problem));
    }
    this.waiters.clear();
  }
}
