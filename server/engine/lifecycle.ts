import type { ChildProcess } from "node:child_process";
import type { EventEmitter } from "node:events";
import type net from "node:net";

/** Something that holds a resource until told to let it go. */
export interface Disposable {
  dispose(): void;
}

/** What a pending call is rejected with when the lifetime it ran in ends first. */
export class Disposed extends Error {
  constructor() {
    super("disposed");
  }
}

/**
 * One lifetime — an engine's, a session's — and everything opened in it: timers, sockets, child
 * processes, listeners, pending calls. Each registers here as it is created and is released when
 * the lifetime ends, newest first; one registered after the end is released at once. So owners need
 * no `disposed` flag of their own: whatever they opened cannot outlive them, and a call still
 * pending when they end rejects with `Disposed` instead of running on. (The shape of xterm.js's
 * `Lifecycle.ts` DisposableStore, with an AbortSignal for the APIs that take one.)
 */
export class Lifecycle implements Disposable {
  private readonly controller = new AbortController();
  private readonly releases = new Set<() => void>();

  get disposed(): boolean {
    return this.controller.signal.aborted;
  }

  /** Aborted when the lifetime ends: for events.once, child_process.spawn, timers/promises… */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** Runs `release` when the lifetime ends. Returns the way to forget it (its owner released it first). */
  onDispose(release: () => void): () => void {
    if (this.disposed) {
      release();
      return () => {};
    }
    this.releases.add(release);
    return () => this.releases.delete(release);
  }

  /** Disposes `disposable` with the lifetime; returns it. */
  add<T extends Disposable>(disposable: T): T {
    this.onDispose(() => disposable.dispose());
    return disposable;
  }

  /** setTimeout that cannot outlive the lifetime; returns its cancel. */
  timeout(run: () => void, ms: number): () => void {
    const timer = setTimeout(() => {
      forget();
      run();
    }, ms);
    const forget = this.onDispose(() => clearTimeout(timer));
    return () => {
      clearTimeout(timer);
      forget();
    };
  }

  /** setInterval that cannot outlive the lifetime; returns its cancel. */
  interval(run: () => void, ms: number): () => void {
    const timer = setInterval(run, ms);
    const forget = this.onDispose(() => clearInterval(timer));
    return () => {
      clearInterval(timer);
      forget();
    };
  }

  /** A socket or a listening server, destroyed (closed) with the lifetime; forgotten once it closes by itself. */
  socket<T extends net.Socket | net.Server>(resource: T): T {
    const forget = this.onDispose(() => {
      if ("destroy" in resource) resource.destroy();
      else resource.close();
    });
    resource.once("close", forget);
    return resource;
  }

  /** A child process, killed with the lifetime; forgotten once it exits. */
  child<T extends ChildProcess>(process: T, signal: NodeJS.Signals = "SIGKILL"): T {
    const forget = this.onDispose(() => {
      if (process.exitCode === null && process.signalCode === null) process.kill(signal);
    });
    process.once("exit", forget);
    return process;
  }

  /** `emitter.on(event, listener)`, removed with the lifetime; returns its removal. */
  listen(emitter: EventEmitter, event: string, listener: (...args: never[]) => void): () => void {
    const handler = listener as (...args: unknown[]) => void;
    emitter.on(event, handler);
    const forget = this.onDispose(() => emitter.off(event, handler));
    return () => {
      emitter.off(event, handler);
      forget();
    };
  }

  /**
   * `callback` for something outside the lifetime that takes a function rather than an emitter (a
   * VM's console): it stops being called when the lifetime ends, as a listener would be removed.
   */
  callback<A extends unknown[]>(callback: (...args: A) => void): (...args: A) => void {
    return (...args: A) => {
      if (!this.disposed) callback(...args);
    };
  }

  /**
   * `work`, unless the lifetime ends first: then the returned promise rejects with `Disposed` at
   * once, and whatever `work` settles with later is dropped.
   */
  guard<T>(work: Promise<T>): Promise<T> {
    if (this.disposed) {
      work.catch(() => {});
      return Promise.reject(new Disposed());
    }
    return new Promise<T>((resolve, reject) => {
      const forget = this.onDispose(() => {
        work.catch(() => {});
        reject(new Disposed());
      });
      work.then(
        (value) => {
          forget();
          resolve(value);
        },
        (err: unknown) => {
          forget();
          reject(err);
        },
      );
    });
  }

  /** Ends the lifetime: the signal aborts, then every registration is released, newest first. Idempotent. */
  dispose(): void {
    if (this.disposed) return;
    this.controller.abort(new Disposed());
    const releases = [...this.releases].reverse();
    this.releases.clear();
    const errors: unknown[] = [];
    for (const release of releases) {
      try {
        release();
      } catch (err) {
        errors.push(err);
      }
    }
    // One release failing must not leave the others open; the failures are reported together.
    if (errors.length === 1) throw errors[0];
    if (errors.length > 1) throw new AggregateError(errors, "releasing a lifetime's resources failed");
  }
}
