import net from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { EventStamper } from "../server/engine/eventStamper.ts";
import { Disposed, Lifecycle } from "../server/engine/lifecycle.ts";
import { LabKernel } from "../server/lab/labKernel.ts";
import type { ServerEvent } from "../shared/protocol/messages.ts";
import type { Variant } from "../shared/protocol/steps.ts";
import { expectFdsBackTo, openFds } from "./helpers/fdCount.ts";
import { isStep } from "./helpers/stepEvents.ts";

/** The handles that keep Node's loop alive and would outlive a lab: sockets, servers and timers. */
function openHandles(): string[] {
  return process
    .getActiveResourcesInfo()
    .filter((kind) => /^(TCP|Timeout)/.test(kind))
    .sort();
}

async function freePort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as net.AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

describe("one lifetime's store", () => {
  it("releases what registered newest first and once, and at once what registers after its end", () => {
    const life = new Lifecycle();
    const released: string[] = [];
    life.onDispose(() => released.push("first"));
    const forget = life.onDispose(() => released.push("forgotten"));
    life.add({ dispose: () => released.push("last") });
    forget();
    life.dispose();
    life.dispose();
    expect(released).toEqual(["last", "first"]);
    expect(life.signal.aborted).toBe(true);
    life.onDispose(() => released.push("late"));
    expect(released).toEqual(["last", "first", "late"]);
  });

  it("rejects a call still pending at its end with Disposed, and drops what the call settles with later", async () => {
    const life = new Lifecycle();
    let fail: (err: Error) => void = () => {};
    const pending = life.guard(new Promise<number>((_, reject) => (fail = reject)));
    life.dispose();
    await expect(pending).rejects.toBeInstanceOf(Disposed);
    // Rejecting now must not surface as an unhandled rejection (Vitest fails the run on one).
    fail(new Error("ECONNRESET after the end"));
    await expect(life.guard(Promise.resolve(1))).rejects.toBeInstanceOf(Disposed);
    await expect(new Lifecycle().guard(Promise.resolve(7))).resolves.toBe(7);
  });

  it("clears its timers and closes its sockets at its end, releases every one even when one throws", async () => {
    const before = openHandles();
    const life = new Lifecycle();
    let fired = false;
    life.timeout(() => {
      fired = true;
    }, 60_000);
    life.interval(() => {}, 60_000);
    const server = life.socket(net.createServer());
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    life.onDispose(() => {
      throw new Error("a release that fails");
    });
    expect(openHandles().length).toBeGreaterThan(before.length);
    expect(() => life.dispose()).toThrow("a release that fails");
    await expect.poll(openHandles).toEqual(before);
    expect(fired).toBe(false);
  });
});

describe("a lab disposed in the middle of its calls", () => {
  const labs: LabKernel[] = [];
  const peers: net.Socket[] = [];
  afterEach(() => {
    for (const lab of labs.splice(0)) lab.dispose();
    for (const peer of peers.splice(0)) peer.destroy();
  });

  async function labOn(variant: Variant, stepMode = false) {
    const events: ServerEvent[] = [];
    const lab = new LabKernel({
      port: await freePort(),
      variant,
      stamper: new EventStamper((e) => events.push(e)),
    });
    lab.setStepMode(stepMode);
    labs.push(lab);
    const waitFor = (match: (e: ServerEvent) => boolean) =>
      expect.poll(() => events.some(match), { timeout: 10_000, interval: 5 }).toBe(true);
    return { lab, events, waitFor };
  }

  it("leaves no socket, descriptor or timer open and sends nothing after, whatever each module was in", async () => {
    const fds = openFds();
    const handles = openHandles();

    // The published server blocked in accept.
    const blocked = await labOn("published");
    const blockedInit = blocked.lab.insmod("server");
    await blocked.waitFor(isStep("server", "accept", "enter"));

    // The fixed server's thread in kernel_recvmsg, its 5 s receive timeout running, a silent peer connected.
    const receiving = await labOn("fixed");
    await receiving.lab.insmod("server");
    const peer = net.connect({ host: "127.0.0.1", port: receiving.lab.port });
    peer.on("error", () => {});
    peers.push(peer);
    await receiving.waitFor(isStep("server", "kernel_recvmsg", "enter"));

    // The client held by step mode before connect, its socket created.
    const held = await labOn("published", true);
    const heldInit = held.lab.insmod("client");
    await held.waitFor((e) => e.type === "step.waiting" && e.step === "sock_create_kern");
    held.lab.stepNext("client");
    await held.waitFor((e) => e.type === "step.waiting" && e.step === "connect");

    expect(openHandles().length).toBeGreaterThan(handles.length);
    const sent = [blocked, receiving, held].map(({ events }) => events.length);
    for (const { lab } of [blocked, receiving, held]) lab.dispose();
    peer.destroy();

    // Each pending insmod ends (it neither hangs nor throws), and no lab says anything more.
    await expect(blockedInit).resolves.toBeUndefined();
    await expect(heldInit).resolves.toBeUndefined();
    await expect.poll(openHandles).toEqual(handles);
    await expectFdsBackTo(fds);
    expect([blocked, receiving, held].map(({ events }) => events.length)).toEqual(sent);
  });
});
