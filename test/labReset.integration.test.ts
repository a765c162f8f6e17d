import net from "node:net";
import { describe, expect, it } from "vitest";
import { labAppPerTest, labPortOf } from "./helpers/labApp.ts";
import type { LabClient } from "./helpers/labClient.ts";

const lab$ = labAppPerTest();

/** Whether something on this machine accepts a connection on 127.0.0.1:port right now. */
function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: "127.0.0.1", port });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

function lastState(lab: LabClient, module: "server" | "client"): string | undefined {
  return lab
    .of("module.state")
    .filter((e) => e.module === module)
    .at(-1)?.state;
}

describe("Reset the lab", () => {
  it("unloads live modules with rmmod, running their exit, and keeps the lab", async () => {
    const lab = await lab$.open();
    lab.send({ type: "variant.select", variant: "fixed" });
    lab.send({ type: "module.load", module: "server" });
    await lab.waitForState("server", "live");
    lab.send({ type: "lab.reset" });
    await lab.waitForState("server", "unloaded");
    expect(lab.console()).toContain("$ rmmod server");
    expect(lab.printk().join("")).not.toContain("lab restarted");
    // The fixed server's exit shut the listener down: the port is free again.
    expect(await listening(labPortOf(lab))).toBe(false);
  });

  it("ends a lab whose server is blocked in accept (rmmod: in use) and starts a fresh one on the same port", async () => {
    const lab = await lab$.open();
    const port = labPortOf(lab);
    lab.send({ type: "module.load", module: "server" });
    await lab.waitFor((e) => e.type === "step" && e.step === "accept" && e.phase === "enter");
    const seqBefore = lab.of("step").at(-1)?.seq ?? 0;

    lab.send({ type: "lab.reset" });
    await lab.waitFor((e) => e.type === "printk" && e.text.startsWith("lab restarted"));
    expect(lab.console()).toContain("rmmod: ERROR: Module server is in use");
    expect(lab.printk()).toContain(
      "lab restarted: server.ko was stuck in accept; a real machine would need a reboot\n",
    );
    expect(lastState(lab, "server")).toBe("unloaded");
    expect(lastState(lab, "client")).toBe("unloaded");
    // One numbering for the session: the fresh lab's events come after the old lab's.
    expect(lab.of("printk").at(-1)?.seq).toBeGreaterThan(seqBefore);

    // The old lab's listener is closed, and the fresh lab binds the same port for real.
    lab.send({ type: "module.load", module: "server" });
    await lab.waitFor(
      (e) => e.type === "step" && e.step === "bind" && e.phase === "exit" && e.seq > seqBefore,
    );
    const binds = lab.of("step").filter((e) => e.step === "bind" && e.phase === "exit");
    expect(binds.at(-1)?.result).toBe(0);
    expect(labPortOf(lab)).toBe(port);
  });

  it("says a module held by step mode was held there, not stuck, when it restarts the lab", async () => {
    const lab = await lab$.open();
    lab.send({ type: "stepMode.set", enabled: true });
    lab.send({ type: "module.load", module: "server" });
    await lab.waitFor((e) => e.type === "step.waiting" && e.step === "sock_create_kern");
    lab.send({ type: "lab.reset" });
    await lab.waitFor((e) => e.type === "printk" && e.text.startsWith("lab restarted"));
    expect(lab.printk()).toContain(
      "lab restarted: server.ko's init was held by step mode before sock_create_kern; rmmod cannot remove a module whose init has not returned\n",
    );
    // Step mode stays as the learner set it, in the fresh lab too.
    lab.send({ type: "module.load", module: "server" });
    await expect
      .poll(() => lab.of("step.waiting").filter((e) => e.step === "sock_create_kern").length)
      .toBe(2);
  });

  it("frees an occupied port", async () => {
    const lab = await lab$.open();
    lab.send({ type: "port.occupy" });
    await lab.waitFor((e) => e.type === "port" && e.occupied);
    lab.send({ type: "lab.reset" });
    await lab.waitFor((e) => e.type === "port" && !e.occupied);
    expect(await listening(labPortOf(lab))).toBe(false);
  });
});

describe("Occupy port", () => {
  it("holds the lab's port with a socket of no module's: the server's bind gets the real EADDRINUSE", async () => {
    const lab = await lab$.open();
    const port = labPortOf(lab);
    lab.send({ type: "port.occupy" });
    await lab.waitFor((e) => e.type === "port" && e.occupied && e.port === port);
    expect(await listening(port)).toBe(true);

    lab.send({ type: "module.load", module: "server" });
    await lab.waitForState("server", "failed");
    const bind = lab.of("step").find((e) => e.step === "bind" && e.phase === "exit");
    expect(bind).toMatchObject({ result: -98, errno: "EADDRINUSE" });
    expect(lab.printk()).toContain("server: bind error\n");

    lab.send({ type: "port.free" });
    await lab.waitFor((e) => e.type === "port" && !e.occupied);
    lab.send({ type: "module.load", module: "server" });
    await lab.waitFor((e) => e.type === "step" && e.step === "accept" && e.phase === "enter");
  });

  it("says why when the lab's own server already listens there", async () => {
    const lab = await lab$.open();
    lab.send({ type: "module.load", module: "server" });
    await lab.waitFor((e) => e.type === "step" && e.step === "accept" && e.phase === "enter");
    lab.send({ type: "port.occupy" });
    const answer = await lab.waitFor((e) => e.type === "port");
    expect(answer).toMatchObject({ occupied: false, error: expect.stringContaining("EADDRINUSE") });
  });

  it("is refused on an engine whose sockets are in a VM, which never sees this machine's ports", async () => {
    const lab = await lab$.open();
    lab.send({ type: "engine.select", engine: "real-kernel" });
    lab.send({ type: "port.occupy" });
    const refusal = await lab.waitFor((e) => e.type === "error");
    expect(refusal).toMatchObject({ code: "refused", message: expect.stringContaining("VM") });
    expect(lab.of("port")).toEqual([]);
  });

  it("is freed when the session ends", async () => {
    const lab = await lab$.open();
    const port = labPortOf(lab);
    lab.send({ type: "port.occupy" });
    await lab.waitFor((e) => e.type === "port" && e.occupied);
    await lab.close();
    await expect.poll(() => listening(port)).toBe(false);
  });
});
