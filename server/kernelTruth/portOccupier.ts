import net from "node:net";

export type PortHold = { occupied: boolean; error?: string };

/**
 * "Occupy port N": a listening socket on the lab's address that belongs to no module — to the
 * lesson it is another program on the machine, so the server module's bind meets the kernel's
 * real EADDRINUSE. The session frees it on "Free port" and always when it ends.
 *
 * A listen under way is never closed under its feet (Node would drop its callback): free() and
 * dispose() wait for it, and its end closes it at once when it is no longer wanted.
 */
export class PortOccupier {
  private server: net.Server | undefined;
  /** The listen under way, settled once it listens or fails. */
  private listening: Promise<PortHold> | undefined;
  private wanted = false;
  private disposed = false;

  constructor(
    private readonly host: string,
    readonly port: number,
  ) {}

  get occupied(): boolean {
    return this.server?.listening === true && this.wanted;
  }

  /** Listens on host:port; a port already taken (by the lab's own server, say) is the kernel's answer. */
  occupy(): Promise<PortHold> {
    if (this.disposed) return Promise.resolve({ occupied: false, error: "the session has ended" });
    this.wanted = true;
    if (this.listening) return this.listening;
    if (this.server) return Promise.resolve({ occupied: true });
    const server = net.createServer((socket) => socket.destroy());
    this.listening = new Promise<PortHold>((resolve) => {
      server.once("error", (err: NodeJS.ErrnoException) => {
        resolve({
          occupied: false,
          error: `listen on ${this.host}:${this.port} failed: ${err.code ?? err.message}`,
        });
      });
      // exclusive: the socket is this process's own, never shared with a cluster worker.
      server.listen({ host: this.host, port: this.port, exclusive: true }, () => resolve({ occupied: true }));
    }).then((hold) => {
      this.listening = undefined;
      if (!hold.occupied) {
        server.close();
        this.wanted = false;
        return hold;
      }
      if (!this.wanted || this.disposed) {
        server.close();
        return { occupied: false };
      }
      this.server = server;
      return hold;
    });
    return this.listening;
  }

  /** Closes the listening socket; resolves once the port is free for another bind. */
  async free(): Promise<PortHold> {
    this.wanted = false;
    if (this.listening) await this.listening;
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
    return { occupied: false };
  }

  dispose(): void {
    this.disposed = true;
    this.wanted = false;
    // A listen under way closes its server when it ends (see occupy).
    this.server?.close();
    this.server = undefined;
  }
}
