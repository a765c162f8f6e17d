import WebSocket from "ws";
import type { ClientCommand, ServerEvent } from "../../shared/protocol/messages.ts";
import { ServerEventSchema } from "../../shared/protocol/messages.ts";
import type { ModuleName, StepId } from "../../shared/protocol/steps.ts";
import { labSocketUrl } from "./labSocketUrl.ts";
import { isStep, type StepEventOf, type StepPhase } from "./stepEvents.ts";

export type LabClientOptions = {
  /** The Origin header of the upgrade (the page's own when absent: ws sends none). */
  origin?: string;
  /** Validate every frame with the protocol's zod schema, as the browser does; off, frames are only parsed. */
  validate?: boolean;
  /**
   * Keep every event (`events`, `of`, `printk`…). A bench's learner loops the lesson for minutes and
   * only waits for what comes next: it keeps none, so its memory stays flat.
   */
  keepEvents?: boolean;
};

/** A lab the app closed before its hello: the close code and what it said (when events are kept). */
export class LabRefused extends Error {
  constructor(
    readonly code: number,
    readonly events: readonly ServerEvent[],
  ) {
    super(`the lab was closed (${code}) before its hello: ${JSON.stringify(events)}`);
  }
}

/** From the connection's start to the lab's hello: the upgrade and the session's start. */
const HELLO_TIMEOUT_MS = 10_000;

type Waiter = {
  match: (e: ServerEvent) => boolean;
  resolve: (e: ServerEvent) => void;
  reject: (err: Error) => void;
  timer: NodeJS.Timeout;
};

/**
 * A browser stand-in, for the tests and the bench alike: a real WebSocket to the app that records
 * every event and wakes whoever waits for one as it arrives (no polling, no fixed sleep).
 */
export class LabClient {
  readonly events: ServerEvent[] = [];
  readonly ws: WebSocket;
  private readonly waiters = new Set<Waiter>();
  private readonly listeners = new Set<(e: ServerEvent) => void>();

  private constructor(
    url: string,
    private readonly options: LabClientOptions,
  ) {
    this.ws = new WebSocket(url, options.origin ? { origin: options.origin } : undefined);
    this.ws.on("message", (data) => this.receive(String(data)));
    // Deliberately empty: a refused or reset connection shows in a test as the close it causes.
    this.ws.on("error", () => {});
  }

  /** Opens a lab on the app at `appUrl` (http://host:port) and resolves once its `hello` arrived. */
  static async open(appUrl: string, options: LabClientOptions | string = {}): Promise<LabClient> {
    const settings = typeof options === "string" ? { origin: options } : options;
    const client = new LabClient(labSocketUrl(appUrl), settings);
    // Waited for before the socket opens: the hello often comes in the same read as the upgrade's
    // answer, and ws emits it right after 'open', before an await there could register a waiter
    // (a client that keeps no events would never see it).
    const hello = client.waitFor((e) => e.type === "hello", HELLO_TIMEOUT_MS);
    hello.catch(() => {});
    // A lab refused (full, draining…) is told why and closed without a hello: open says so at once.
    const onClose = (code: number) => client.abandonWaits(new LabRefused(code, client.events));
    client.ws.once("close", onClose);
    try {
      await new Promise<void>((resolve, reject) => {
        client.ws.once("open", () => resolve());
        client.ws.once("error", reject);
      });
    } catch (err) {
      client.abandonWaits(err as Error);
      throw err;
    }
    await hello;
    client.ws.off("close", onClose);
    return client;
  }

  send(command: ClientCommand | string): void {
    this.ws.send(typeof command === "string" ? command : JSON.stringify(command));
  }

  /** Calls `listener` with every event from now on; returns its removal. */
  onEvent(listener: (e: ServerEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
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

  /**
   * Resolves with the first kept event matching `match` — one that has arrived, or the next one
   * that does; `match` may also test the kept events as a whole (`() => lab.of("x").length > n`).
   */
  waitFor<E extends ServerEvent>(
    match: ((e: ServerEvent) => e is E) | ((e: ServerEvent) => boolean),
    timeoutMs = 5000,
  ): Promise<E> {
    const found = this.find(match);
    if (found) return Promise.resolve(found as E);
    const waited = new Promise<E>((resolve, reject) => {
      const waiter: Waiter = {
        match,
        resolve: (e) => resolve(e as E),
        reject,
        timer: setTimeout(() => {
          this.waiters.delete(waiter);
          reject(
            new Error(
              `no matching event within ${timeoutMs} ms; got:\n${this.events.map((e) => JSON.stringify(e)).join("\n")}`,
            ),
          );
        }, timeoutMs),
      };
      this.waiters.add(waiter);
    });
    return waited;
  }

  /** Ends every wait at once with `error` (a bench's learner gives up on the first problem). */
  abandonWaits(error: Error): void {
    for (const waiter of this.waiters) {
      clearTimeout(waiter.timer);
      waiter.reject(error);
    }
    this.waiters.clear();
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

  waitForState(module: ModuleName, state: string, timeoutMs?: number): Promise<ServerEvent> {
    return this.waitFor(
      (e) => e.type === "module.state" && e.module === module && e.state === state,
      timeoutMs,
    );
  }

  async close(): Promise<void> {
    for (const waiter of this.waiters) clearTimeout(waiter.timer);
    this.waiters.clear();
    if (this.ws.readyState === WebSocket.CLOSED) return;
    await new Promise<void>((resolve) => {
      this.ws.once("close", () => resolve());
      this.ws.close();
    });
  }

  private receive(text: string): void {
    const json: unknown = JSON.parse(text);
    const event = this.options.validate === false ? (json as ServerEvent) : ServerEventSchema.parse(json);
    if (this.options.keepEvents !== false) this.events.push(event);
    for (const listener of this.listeners) listener(event);
    // The events before this one were tried when they arrived; a predicate over the kept events as a
    // whole ignores its argument, so trying the new event is enough either way.
    for (const waiter of this.waiters) {
      if (!waiter.match(event)) continue;
      clearTimeout(waiter.timer);
      this.waiters.delete(waiter);
      waiter.resolve(this.find(waiter.match) ?? event);
    }
  }

  private find(match: (e: ServerEvent) => boolean): ServerEvent | undefined {
    return this.events.find(match);
  }
}
