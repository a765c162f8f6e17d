import { performance } from "node:perf_hooks";
import type { ServerEvent } from "../shared/protocol/messages.ts";
import type { ModuleName } from "../shared/protocol/steps.ts";
import { LabClient } from "../test/helpers/labClient.ts";

export type DriverOptions = {
  /** Validate every frame with the protocol's zod schema, as the browser does (P1); P3 only parses. */
  validate: boolean;
  /** How long one awaited event may take before the lesson counts as failed. */
  timeoutMs?: number;
};

/**
 * A learner's tab without the page: the tests' WebSocket client (keeping no events, so a long run
 * costs nothing) running the lesson the way a person does it — start the server, wait until it
 * blocks in accept, start the client, wait until both modules are loaded — and then stopping both
 * so the lesson can run again in the same session. The first problem ends every wait.
 */
export class LessonDriver {
  /** Command sent → the first `step` event of that module, in ms (module.load commands only). */
  readonly stepLatencies: number[] = [];
  readonly problems: string[] = [];
  private readonly loadSentAt = new Map<ModuleName, number>();
  private readonly timeoutMs: number;
  private closing = false;

  private constructor(
    private readonly lab: LabClient,
    options: DriverOptions,
  ) {
    this.timeoutMs = options.timeoutMs ?? 10_000;
    lab.onEvent((event) => this.onEvent(event));
    lab.ws.on("error", (err) => this.fail(`websocket error: ${err.message}`));
    lab.ws.on("close", () => {
      if (!this.closing) this.fail("websocket closed by the server");
    });
  }

  static async open(appUrl: string, options: DriverOptions): Promise<LessonDriver> {
    const lab = await LabClient.open(appUrl, { validate: options.validate, keepEvents: false });
    return new LessonDriver(lab, options);
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
    this.lab.send({ type: "module.unload", module: "server" });
    this.lab.send({ type: "module.unload", module: "client" });
    await unloaded;
  }

  /** Opens the System calls view: the session's lab is reset into a worker under strace. */
  async traceSyscalls(): Promise<void> {
    const tracing = this.waitFor((e) => e.type === "syscalls.status" && e.state === "tracing");
    this.lab.send({ type: "syscalls.trace", on: true });
    await tracing;
  }

  close(): Promise<void> {
    this.closing = true;
    return this.lab.close();
  }

  private load(module: ModuleName): void {
    this.loadSentAt.set(module, performance.now());
    this.lab.send({ type: "module.load", module });
  }

  private waitForState(module: ModuleName, state: string): Promise<unknown> {
    return this.waitFor((e) => e.type === "module.state" && e.module === module && e.state === state);
  }

  private waitFor(match: (e: ServerEvent) => boolean): Promise<unknown> {
    const waited = this.lab.waitFor(match, this.timeoutMs);
    // A failure rejects every waiter at once; whichever the caller awaits reports it.
    waited.catch(() => {});
    return waited;
  }

  private onEvent(event: ServerEvent): void {
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
  }

  private fail(problem: string): void {
    this.problems.push(problem);
    this.lab.abandonWaits(new Error(problem));
  }
}
