import net from "node:net";
import { describe, expect, it } from "vitest";
import { PortOccupier } from "../server/kernelTruth/portOccupier.ts";

/** A port the kernel just handed out and took back: free unless something takes it meanwhile. */
async function freePort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen({ host: "127.0.0.1", port: 0 }, resolve));
  const { port } = probe.address() as net.AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

function bindResult(port: number): Promise<string> {
  const server = net.createServer();
  return new Promise((resolve) => {
    server.once("error", (err: NodeJS.ErrnoException) => resolve(err.code ?? "error"));
    server.listen({ host: "127.0.0.1", port, exclusive: true }, () => server.close(() => resolve("ok")));
  });
}

describe("PortOccupier", () => {
  it("holds the port so another bind gets EADDRINUSE, and lets go on free", async () => {
    const port = await freePort();
    const holder = new PortOccupier("127.0.0.1", port);
    expect(await holder.occupy()).toEqual({ occupied: true });
    expect(holder.occupied).toBe(true);
    expect(await bindResult(port)).toBe("EADDRINUSE");
    expect(await holder.free()).toEqual({ occupied: false });
    expect(await bindResult(port)).toBe("ok");
    holder.dispose();
  });

  it("reports the kernel's refusal when the port is already taken, holding nothing", async () => {
    const port = await freePort();
    const other = net.createServer();
    await new Promise<void>((resolve) => other.listen({ host: "127.0.0.1", port, exclusive: true }, resolve));
    try {
      const holder = new PortOccupier("127.0.0.1", port);
      const hold = await holder.occupy();
      expect(hold.occupied).toBe(false);
      expect(hold.error).toContain("EADDRINUSE");
      expect(holder.occupied).toBe(false);
    } finally {
      await new Promise<void>((resolve) => other.close(() => resolve()));
    }
  });

  it("lets go of a listen still under way when freed or disposed", async () => {
    const port = await freePort();
    const holder = new PortOccupier("127.0.0.1", port);
    const occupying = holder.occupy();
    holder.dispose();
    expect(await occupying).toEqual({ occupied: false });
    await expect.poll(() => bindResult(port)).toBe("ok");
    expect(await holder.occupy()).toMatchObject({ occupied: false, error: "the session has ended" });
  });
});
