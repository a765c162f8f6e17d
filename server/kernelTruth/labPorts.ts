import net from "node:net";
import { LAB_LOOPBACK } from "../lab/labAddress.ts";

/** 0x8888, the port both listings use. */
export const LISTING_PORT = 0x8888;

/**
 * Hands each session a lab port. The first session gets the listing's port; while a session holds
 * it, others get a free port of their own. Only sessions are checked, not the machine: a port held
 * by another process is the lesson's real EADDRINUSE, not something to route around.
 */
export class LabPorts {
  private readonly held = new Set<number>();
  constructor(private readonly preferred: number = LISTING_PORT) {}

  get preferredPort(): number {
    return this.preferred;
  }

  /**
   * `avoidPreferred`: the learner asked to move their lab off the preferred port (another program
   * on the machine holds it), so a free port is found for them even when no session holds it.
   */
  async acquire(avoidPreferred = false): Promise<number> {
    if (this.preferred !== 0 && !avoidPreferred && !this.held.has(this.preferred)) {
      this.held.add(this.preferred);
      return this.preferred;
    }
    for (;;) {
      const port = await freePort();
      if (!this.held.has(port)) {
        this.held.add(port);
        return port;
      }
    }
  }

  release(port: number): void {
    this.held.delete(port);
  }
}

/** Asks the kernel for an unused loopback port by binding port 0 and closing at once. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once("error", reject);
    probe.listen({ host: LAB_LOOPBACK, port: 0 }, () => {
      const address = probe.address();
      probe.close(() =>
        typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port")),
      );
    });
  });
}
