/**
 * Faults a classroom produces, each over real sockets, each ending with this process's open file
 * descriptors back at their count before the fault: a lab that survives but leaks would run a
 * shared instance out of descriptors by the end of the day.
 */
import net from "node:net";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { ModuleName, StepId } from "../shared/protocol/steps.ts";
import { type AppOptions, type RunningApp, startApp } from "../server/app.ts";
import { expectFdsBackTo, openFds } from "./helpers/fdCount.ts";
import { LabClient } from "./helpers/labClient.ts";

let app: RunningApp;
let baseline: number;

async function restart(options: AppOptions = {}): Promise<void> {
  await app?.close();
  app = await startApp({ port: 0, labPort: 0, ...options });
  baseline = openFds();
}

beforeEach(() => restart());
afterEach(() => app.close());

function labPortOf(lab: LabClient): number {
  return lab.of("hello")[0]!.labPort;
}

/** In step mode, presses the module's step button until it waits at `target`; returns that wait's seq. */
async function stepTo(lab: LabClient, module: ModuleName, target: StepId, after = 0): Promise<number> {
  for (;;) {
    const waiting = await lab.waitFor(
      (e) => e.type === "step.waiting" && e.module === module && e.seq > after,
    );
    if (waiting.type !== "step.waiting") throw new Error("unreachable");
    if (waiting.step === target) return waiting.seq;
    after = waiting.seq;
    lab.send({ type: "step.next", module });
  }
}

async function expectReleased(lab: LabClient): Promise<void> {
  await expect.poll(() => app.sessions.size).toBe(0);
  await expectFdsBackTo(baseline);
  expect(await canListen(labPortOf(lab))).toBe(true);
}

/** Server blocked in accept, client connected and held before its send, server held before recvmsg. */
async function holdBothMidStep(lab: LabClient): Promise<void> {
  lab.send({ type: "stepMode.set", enabled: true });
  lab.send({ type: "module.load", module: "server" });
  const atAccept = await stepTo(lab, "server", "accept");
  lab.send({ type: "step.next", module: "server" });
  await lab.waitForStep("server", "accept", "enter");
  lab.send({ type: "module.load", module: "client" });
  await stepTo(lab, "client", "kernel_sendmsg");
  await stepTo(lab, "server", "kernel_recvmsg", atAccept);
}

describe("faults that leave nothing behind", () => {
  it("releases every socket when the WebSocket drops while both modules wait mid-step", async () => {
    const lab = await LabClient.open(app.url);
    await holdBothMidStep(lab);
    expect(openFds()).toBeGreaterThanOrEqual(baseline + 5);
    lab.ws.terminate();
    await expectReleased(lab);
  });

  it("refuses rmmod of a server blocked in accept, as kmod's rmmod does (the module is in use), and frees it when the session closes", async () => {
    const lab = await LabClient.open(app.url);
    lab.send({ type: "module.load", module: "server" });
    await lab.waitForStep("server", "accept", "enter");
    lab.send({ type: "module.unload", module: "server" });
    await lab.waitFor((e) => e.type === "console" && e.text === "rmmod: ERROR: Module server is in use");
    expect(lab.of("module.state").at(-1)).toMatchObject({ module: "server", state: "loading" });
    await lab.close();
    await expectReleased(lab);
  });

  it("unloads the fixed server blocked in accept and frees its listener at once", async () => {
    const lab = await LabClient.open(app.url);
    lab.send({ type: "variant.select", variant: "fixed" });
    lab.send({ type: "module.load", module: "server" });
    await lab.waitForState("server", "live");
    await lab.waitForStep("server", "accept", "enter");
    lab.send({ type: "module.unload", module: "server" });
    await lab.waitForState("server", "unloaded");
    expect(await canListen(labPortOf(lab))).toBe(true);
    await lab.close();
    await expectReleased(lab);
  });

  it("refuses to stop a server blocked in kernel_recvmsg (still in init) and frees both ends when the session closes", async () => {
    const lab = await LabClient.open(app.url);
    await holdBothMidStep(lab);
    lab.send({ type: "step.next", module: "server" });
    await lab.waitForStep("server", "kernel_recvmsg", "enter");
    lab.send({ type: "module.unload", module: "server" });
    await lab.waitFor((e) => e.type === "console" && e.text === "rmmod: ERROR: Module server is in use");
    await lab.close();
    await expectReleased(lab);
  });

  it("refuses to stop a client held in kernel_sendmsg (still in init) and frees both ends when the session closes", async () => {
    const lab = await LabClient.open(app.url);
    await holdBothMidStep(lab);
    lab.send({ type: "module.unload", module: "client" });
    await lab.waitFor((e) => e.type === "console" && e.text === "rmmod: ERROR: Module client is in use");
    expect(lab.findStep("client", "kernel_sendmsg", "enter")).toBeUndefined();
    lab.ws.terminate();
    await expectReleased(lab);
  });

  it("fails bind with EADDRINUSE on an occupied port and releases the socket the listing leaks", async () => {
    const squatter = net.createServer();
    await new Promise<void>((resolve) =>
      squatter.listen({ host: "127.0.0.1", port: 0, exclusive: true }, resolve),
    );
    const port = (squatter.address() as net.AddressInfo).port;
    await restart({ labPort: port });
    const lab = await LabClient.open(app.url);
    expect(labPortOf(lab)).toBe(port);
    lab.send({ type: "module.load", module: "server" });
    await lab.waitForState("server", "failed");
    expect(lab.findStep("server", "bind", "exit")).toMatchObject({
      errno: "EADDRINUSE",
    });
    await lab.close();
    await expect.poll(() => app.sessions.size).toBe(0);
    await new Promise((resolve) => squatter.close(resolve));
    await expectReleased(lab);
  });

  it("runs 1,000 open / run / close cycles, 25 at a time, with the descriptor count back at its baseline", async () => {
    // Every learner here comes from 127.0.0.1: the per-address cap would otherwise refuse the 9th.
    await restart({ maxSessionsPerAddress: 1000, maxSessionsPerLearner: 1000 });
    let cycles = 0;
    const worker = async () => {
      while (cycles < 1000) {
        cycles++;
        const lab = await LabClient.open(app.url);
        lab.send({ type: "module.load", module: "server" });
        await lab.waitForStep("server", "accept", "enter");
        lab.send({ type: "module.load", module: "client" });
        await lab.waitForState("server", "live");
        await lab.waitForState("client", "live");
        expect(lab.printk()).toContain("client:send ok!\n");
        await lab.close();
      }
    };
    await Promise.all(Array.from({ length: 25 }, worker));
    expect(cycles).toBe(1000);
    await expect.poll(() => app.sessions.size).toBe(0);
    await expectFdsBackTo(baseline);
  }, 60_000);
});

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.once("error", () => resolve(false));
    probe.listen({ host: "127.0.0.1", port, exclusive: true }, () => probe.close(() => resolve(true)));
  });
}
