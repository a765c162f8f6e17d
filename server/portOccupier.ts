import net from "node:net";

export type PortHold = { occupied: boolean; error?: string };

/**
 * "Occupy port N": a listening socket on the lab's address that belongs to no module — to the
 * lesson it is another program on the machine, so the server module's bind meets the kernel's
 * real EADDRINUSE. The session frees it on "Free port" and always when it ends.
 */
export class PortOccupier {
  private server: net.Server | undefined;
  private disposed = false;

  constructor(
    private readonly host: string,
    readonly port: number,
  ) {}

  get occupied(): boolean {
    return this.server?.listening === true;
  }

  /** Listens on host:port; a port already taken (by the lab's own server, say) is the kernel's answer. */
  async occupy(): Promise<PortHold> {
    if (this.disposed) return { occupied: false, error: "the session has ended" };
    if (this.server) return { occupied: this.occupied };
    const server = net.createServer((socket) => socket.destroy());
    this.server = server;
    try {
      await new Promise<void>((resolve, reject) => {
        server.once("error", reject);
        // exclusive: the socket is this process's own, never shared with a cluster worker.
        server.listen({ host: this.host, port: this.port, exclusive: true }, () => {
          server.off("error", reject);
          resolve();
        });
      });
    } catch (err) {
      if (this.server === server) this.server = undefined;
      server.close();
      const code = (err as NodeJS.ErrnoException).code ?? "error";
      return { occupied: false, error: `listen on ${this.host}:${this.port} failed: ${code}` };
    }
    // Freed (or the session ended) while the listen was under way: let go of it at once.
    if (this.server !== server || this.disposed) {
      server.close();
      return { occupied: false };
    }
    return { occupied: true };
  }

  /** Closes the listening socket; resolves once the port is free for another bind. */
  async free(): Promise<PortHold> {
    const server = this.server;
    this.server = undefined;
    if (server?.listening) await new Promise<void>((resolve) => server.close(() => resolve()));
    return { occupied: false };
  }

  dispose(): void {
    this.disposed = true;
    const server = this.server;
    this.server = undefined;
    server?.close();
  }
}
