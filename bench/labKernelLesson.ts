import net from "node:net";
import { performance } from "node:perf_hooks";
import type { ServerEvent } from "../shared/protocol/messages.ts";
import { EventStamper } from "../server/engine/eventStamper.ts";
import { UNTHROTTLED_OPTIONS } from "./limits.ts";
import { LabKernel } from "../server/lab/labKernel.ts";

/**
 * The lab kernel without the WebSocket: the same lesson through LabKernel directly, its events
 * created and then dropped. Set between the bare sockets and the full pipeline, it shows how much
 * of the overhead is the kernel's gate and bookkeeping and how much is carrying events to the page.
 */
export class LabKernelLesson {
  private waiting: { match: (e: ServerEvent) => boolean; resolve: () => void } | undefined;
  private constructor(private readonly lab: LabKernel) {}

  static async open(): Promise<LabKernelLesson> {
    const port = await freePort();
    let lesson: LabKernelLesson | undefined;
    // The published client leaks a socket per run: the lab's socket cap is lifted as the app's is.
    const lab = new LabKernel({
      port,
      stamper: new EventStamper((event) => lesson?.onEvent(event)),
      socketLimit: UNTHROTTLED_OPTIONS.labSocketLimit,
    });
    lesson = new LabKernelLesson(lab);
    return lesson;
  }

  /** insmod server → its accept entered → insmod client → both inits returned; resolves with the ms. */
  async run(): Promise<number> {
    const start = performance.now();
    const blocked = this.next(
      (e) => e.type === "step" && e.module === "server" && e.step === "accept" && e.phase === "enter",
    );
    const server = this.lab.insmod("server");
    await blocked;
    await Promise.all([server, this.lab.insmod("client")]);
    const elapsed = performance.now() - start;
    for (const module of ["server", "client"] as const) {
      if (this.lab.moduleState(module) !== "live")
        throw new Error(`${module} is ${this.lab.moduleState(module)}, not live`);
    }
    return elapsed;
  }

  async unloadBoth(): Promise<void> {
    await Promise.all([this.lab.rmmod("server"), this.lab.rmmod("client")]);
  }

  dispose(): void {
    this.lab.dispose();
  }

  private next(match: (e: ServerEvent) => boolean): Promise<void> {
    return new Promise((resolve) => {
      this.waiting = { match, resolve };
    });
  }

  private onEvent(event: ServerEvent): void {
    if (this.waiting?.match(event)) {
      this.waiting.resolve();
      this.waiting = undefined;
    }
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once("error", reject);
    probe.listen({ host: "127.0.0.1", port: 0 }, () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}
