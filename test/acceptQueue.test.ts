import net from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import type { AcceptOverflow } from "../server/lab/acceptQueue.ts";
import { accept, createListener, listen, out, release, type SocketOwner } from "../server/lab/nodeSockets.ts";
import { OverflowNotice, overflowMessage } from "../server/lab/overflowNotice.ts";

const peers: net.Socket[] = [];
afterEach(() => {
  for (const peer of peers.splice(0)) peer.destroy();
});

/** A port the kernel just handed out and released, for a lab owner that may bind only its own. */
async function freePort(): Promise<number> {
  const probe = net.createServer().listen(0, "127.0.0.1");
  await new Promise((resolve) => probe.once("listening", resolve));
  const { port } = probe.address() as net.AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

function ownerOf(port: number) {
  const held = new Set<net.Server | net.Socket>();
  const overflows: AcceptOverflow[] = [];
  const owner: SocketOwner = {
    loopback: "127.0.0.1",
    port,
    adopt(resource) {
      held.add(resource);
      resource.once("close", () => held.delete(resource));
    },
    acceptOverflow: (o) => overflows.push(o),
  };
  return { owner, held, overflows };
}

/**
 * A peer that connects and reads nothing; settles once connected, or once reset (the RST can
 * reach it before Node reports the connect).
 */
function peer(port: number): Promise<net.Socket> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: "127.0.0.1", port });
    socket.on("error", () => {});
    peers.push(socket);
    socket.once("connect", () => resolve(socket));
    socket.once("close", () => resolve(socket));
  });
}

describe("a lab listener's accept queue", () => {
  it("holds backlog + 1 connections waiting for accept, resets the ones past it at once, and hands the waiting ones to accept oldest first", async () => {
    const port = await freePort();
    const { owner, held, overflows } = ownerOf(port);
    const server = out<net.Server>();
    createListener(owner, server);
    await listen(server.current!, { host: "127.0.0.1", port }, 2);

    const first = await peer(port);
    for (let i = 0; i < 5; i++) await peer(port);
    // listener + 3 waiting; the three past them were reset and hold no descriptor.
    await expect.poll(() => held.size).toBe(4);
    expect(overflows).toEqual([
      { waiting: 3, limit: 3 },
      { waiting: 3, limit: 3 },
      { waiting: 3, limit: 3 },
    ]);
    await expect.poll(() => peers.filter((p) => p.destroyed).length).toBe(3);

    const taken = out<net.Socket>();
    await accept(server.current!, taken);
    expect(taken.current!.remotePort).toBe(first.localPort);
    // A slot is free again: the next connection waits instead of being reset.
    await peer(port);
    await expect.poll(() => held.size).toBe(5);
    expect(overflows).toHaveLength(3);

    // Closing the listener closes the connections still waiting; the accepted one stays the module's.
    // (net.Server reports its own 'close' only once the accepted one has ended too.)
    release(server.current);
    await expect.poll(() => held.size).toBe(2);
    expect([...held]).toEqual([server.current, taken.current]);
    expect(server.current!.listening).toBe(false);
    taken.current!.destroy();
  });

  it("fails a blocked accept with EINVAL when the listener is released", async () => {
    const port = await freePort();
    const { owner } = ownerOf(port);
    const server = out<net.Server>();
    createListener(owner, server);
    await listen(server.current!, { host: "127.0.0.1", port }, 10);
    const accepting = accept(server.current!, out<net.Socket>());
    release(server.current);
    await expect(accepting).rejects.toMatchObject({ code: "EINVAL" });
  });

  it("tells the learner of a full queue at most once a second, with the resets since the last notice", () => {
    let now = 0;
    const said: string[] = [];
    const notice = new OverflowNotice(
      (m) => said.push(m),
      1000,
      () => now,
    );
    const full = { waiting: 11, limit: 11 };
    notice.refused(full);
    now = 500;
    notice.refused(full);
    notice.refused(full);
    now = 1000;
    notice.refused(full);
    expect(said).toEqual([overflowMessage(full, 1), overflowMessage(full, 3)]);
    expect(said[1]).toMatch(
      /^3 connections .* reset: its accept queue holds 11 .*backlog allows \(10, plus one\)/,
    );
  });
});
