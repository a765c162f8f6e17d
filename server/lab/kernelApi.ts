import type { PrintkArg } from "../../shared/kernelLog/printk.ts";
import type { StepId } from "../../shared/protocol/steps.ts";
import type { SocketOwner } from "./nodeSockets.ts";
import type { TwinValues } from "./twinCallFrame.ts";

/**
 * `buffer`: the buffer the call reads or fills; the bytes it moved go out with the step.
 * `twin`: the twin's values for the call view, read before the call and again after it.
 */
export type CallIo = { buffer?: Uint8Array; twin?: () => TwinValues };

/** What a lab module sees of the kernel: the same few services a real module gets. */
export type Kernel = SocketOwner & {
  /**
   * Runs one kernel call through the lab's gate: recorded, paced, held in step mode, errno caught.
   * `io.buffer`: the buffer the call reads or fills; the bytes it moved go out with the step.
   */
  call(step: StepId, fn: () => number | Promise<number>, io?: CallIo): Promise<number>;
  printk(fmt: string, ...args: PrintkArg[]): void;
  /** The only host a lab socket binds or dials: 127.0.0.1. */
  readonly loopback: string;
  /** This session's lab port: 0x8888 unless another session holds it. */
  readonly port: number;
  /** kthread_run: starts work that outlives init; the lab waits for it on rmmod and at teardown. */
  spawn(name: string, thread: (shouldStop: () => boolean) => Promise<void>): void;
  /** kthread_stop: asks the named thread to stop, wakes it, and waits until it has returned. */
  stopThread(name: string): Promise<void>;
  /** schedule_timeout_interruptible: sleeps up to `ms`; kthread_stop (or the session's end) wakes it early. */
  sleep(ms: number): Promise<void>;
  /** A module's static variables: one object per loaded instance of that module. */
  statics<T extends object>(init: () => T): T;
};

/** module_init / module_exit. init returns 0 or -errno, as the kernel expects (or not: see the listing). */
export type LabModule = {
  init(k: Kernel): Promise<number>;
  exit(k: Kernel): Promise<void>;
};
