import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { ModuleName, StepId } from "../shared/protocol/steps.ts";
import { type RunningApp, startApp } from "../server/app.ts";
import { LabClient } from "./helpers/labClient.ts";

let app: RunningApp;
let lab: LabClient;

beforeEach(async () => {
  app = await startApp({ port: 0, labPort: 0 });
  lab = await LabClient.open(app.url);
});

afterEach(async () => {
  await lab.close();
  await app.close();
});

/** Presses the module's step button and waits until its next call is held (or the run ends). */
async function stepTo(module: ModuleName, next: StepId): Promise<void> {
  lab.send({ type: "step.next", module });
  await lab.waitForStep(module, next, "waiting");
}

describe("step mode", () => {
  it("holds each kernel call until its module's step.next, one call per press", async () => {
    lab.send({ type: "stepMode.set", enabled: true });
    await lab.waitFor((e) => e.type === "settings" && e.stepMode);
    lab.send({ type: "module.load", module: "server" });
    await lab.waitForStep("server", "sock_create_kern", "waiting");
    expect(lab.of("step")).toEqual([]);
    await stepTo("server", "bind");
    expect(lab.of("step").map((e) => [e.step, e.phase, e.result])).toEqual([
      ["sock_create_kern", "enter", null],
      ["sock_create_kern", "exit", 0],
    ]);
  });

  it("lets the client connect while the server is paused before accept: the kernel queued the connection", async () => {
    lab.send({ type: "stepMode.set", enabled: true });
    lab.send({ type: "module.load", module: "server" });
    await lab.waitForStep("server", "sock_create_kern", "waiting");
    await stepTo("server", "bind");
    await stepTo("server", "listen");
    await stepTo("server", "accept");

    lab.send({ type: "module.load", module: "client" });
    await lab.waitForStep("client", "sock_create_kern", "waiting");
    await stepTo("client", "connect");
    await stepTo("client", "kernel_sendmsg");
    expect(lab.findStep("client", "connect", "exit")?.result).toBe(0);
    expect(lab.printk()).toContain("client:connect ok!\n");
    // The server has not entered accept: its last event is still the wait before it.
    const serverEvents = lab.events.filter((e) => "module" in e && e.module === "server");
    expect(serverEvents.at(-1)).toMatchObject({ type: "step.waiting", step: "accept" });

    lab.send({ type: "step.continue", module: "client" });
    await lab.waitForState("client", "live");
    lab.send({ type: "step.continue", module: "server" });
    await lab.waitForState("server", "live");
    expect(lab.findStep("server", "kernel_recvmsg", "exit")?.result).toBe(1024);
  });

  it("runs held calls at once when step mode is switched off", async () => {
    lab.send({ type: "stepMode.set", enabled: true });
    lab.send({ type: "module.load", module: "server" });
    await lab.waitForStep("server", "sock_create_kern", "waiting");
    lab.send({ type: "stepMode.set", enabled: false });
    await lab.waitForStep("server", "accept", "enter");
    expect(lab.of("step.waiting")).toHaveLength(1);
  });
});
