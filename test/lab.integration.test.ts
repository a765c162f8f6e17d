import net from "node:net";
import { describe, expect, it } from "vitest";
import type { LabClient } from "./helpers/labClient.ts";
import { labPortOf, labAppPerTest } from "./helpers/labApp.ts";

const lab$ = labAppPerTest();
const open = () => lab$.open();

function steps(client: LabClient, module: "server" | "client") {
  return client.of("step").filter((e) => e.module === module && e.phase === "exit");
}

describe("the full run over a real WebSocket and real sockets", () => {
  it("runs server then client: every call in C order with its real result and the listing's printk texts", async () => {
    const lab = await open();
    lab.send({ type: "module.load", module: "server" });
    await lab.waitForStep("server", "accept", "enter");
    expect(lab.of("module.state").at(-1)).toMatchObject({ module: "server", state: "loading" });

    lab.send({ type: "module.load", module: "client" });
    await lab.waitForState("server", "live");
    await lab.waitForState("client", "live");

    expect(steps(lab, "server").map((e) => [e.step, e.result])).toEqual([
      ["sock_create_kern", 0],
      ["bind", 0],
      ["listen", 0],
      ["accept", 0],
      ["kernel_recvmsg", 1024],
      ["sock_release_listener", null],
      ["sock_release_conn", null],
    ]);
    expect(steps(lab, "client").map((e) => [e.step, e.result])).toEqual([
      ["sock_create_kern", 0],
      ["connect", 0],
      ["kernel_sendmsg", 1024],
    ]);
    const log = lab.printk();
    for (const text of [
      "server init:\n",
      "server:bind ok!\n",
      "server:listen ok!\n",
      "server: accept ok, Connection Established\n",
      "client:connect ok!\n",
      "client:send ok!\n",
    ]) {
      expect(log).toContain(text);
    }
    // The record is cut at LOG_LINE_MAX - 1 = 991 bytes: 18 of text, then 973 of the 1024 received.
    expect(log).toContain(`receive message:\n ${"^A".repeat(973)}`);
    expect(log.find((t) => t.startsWith("receive message:"))).toHaveLength(18 + 2 * 973);
    // One pr_warn record of two lines, as do_init_module() prints it (v6.1).
    expect(log).toContain(
      "do_init_module: 'client'->init suspiciously returned 1024, it should follow 0/-E convention\ndo_init_module: loading module anyway...\n",
    );
    expect(lab.console()).toEqual(["$ insmod server.ko", "$ insmod client.ko"]);
  });

  it("hands the call view the twin's values: kernel_recvmsg's socket, kvec and size 1024, the address bind was given", async () => {
    const lab = await open();
    lab.send({ type: "module.load", module: "server" });
    await lab.waitForStep("server", "accept", "enter");
    lab.send({ type: "module.load", module: "client" });
    await lab.waitForState("server", "live");
    await lab.waitForState("client", "live");
    const recv = steps(lab, "server").find((e) => e.step === "kernel_recvmsg");
    expect(recv?.call).toMatchObject({
      source: "twin",
      function: "kernel_recvmsg",
      release: "6.1",
      returns: "int",
    });
    const args = Object.fromEntries((recv?.call?.args ?? []).map((a) => [a.name, a]));
    expect(Object.keys(args)).toEqual(["sock", "msg", "vec", "num", "len", "flags"]);
    expect(args.len?.value).toBe("1024");
    expect(args.msg?.value).toBeNull();
    expect(args.vec?.fields).toContainEqual({ name: "iov_len", value: "1024" });
    expect(args.sock?.fields).toContainEqual({ name: "state", value: "SS_CONNECTED" });
    const port = labPortOf(lab);
    const bind = steps(lab, "server").find((e) => e.step === "bind");
    expect(bind?.call?.function).toBe("inet_bind");
    expect(bind?.call?.args.find((a) => a.name === "uaddr")?.fields).toContainEqual({
      name: "sin_port",
      value: `htons(${port}) = 0x${port.toString(16)}`,
    });
  });

  it("stamps events with seconds since the lab started, in order", async () => {
    const lab = await open();
    lab.send({ type: "module.load", module: "client" });
    await lab.waitForState("client", "failed");
    const times = lab.events.flatMap((e) => ("t" in e ? [e.t] : []));
    expect(times.length).toBeGreaterThan(3);
    expect([...times].sort((a, b) => a - b)).toEqual(times);
    expect(times.at(-1)!).toBeLessThan(60);
  });

  it('prints "good bye" and unloads the server on rmmod after a run', async () => {
    const lab = await open();
    lab.send({ type: "module.load", module: "server" });
    await lab.waitForStep("server", "accept", "enter");
    lab.send({ type: "module.load", module: "client" });
    await lab.waitForState("server", "live");
    lab.send({ type: "module.unload", module: "server" });
    lab.send({ type: "module.unload", module: "client" });
    await lab.waitForState("server", "unloaded");
    await lab.waitForState("client", "unloaded");
    expect(lab.printk()).toEqual(expect.arrayContaining(["good bye\n", "client exit!\n"]));
  });
});

describe("failures the kernel really reports", () => {
  it('gives a client with no server the real ECONNREFUSED: "client:connect error!" and insmod fails with -111', async () => {
    const lab = await open();
    lab.send({ type: "module.load", module: "client" });
    await lab.waitForState("client", "failed");
    expect(lab.findStep("client", "connect", "exit")).toMatchObject({ result: -111, errno: "ECONNREFUSED" });
    expect(lab.printk()).toContain("client:connect error!\n");
    expect(lab.of("module.state").at(-1)).toMatchObject({ state: "failed", initResult: -111 });
    expect(lab.console()).toContain("insmod: ERROR: could not insert module client.ko: Connection refused");
  });

  it('gives a server whose port another process holds the real EADDRINUSE on the bind line: "server: bind error"', async () => {
    const squatter = net.createServer();
    await new Promise<void>((resolve) => squatter.listen({ host: "127.0.0.1", port: 0 }, resolve));
    const port = (squatter.address() as net.AddressInfo).port;
    await lab$.restart({ port: 0, labPort: port });
    try {
      const lab = await open();
      expect(labPortOf(lab)).toBe(port);
      lab.send({ type: "module.load", module: "server" });
      await lab.waitForState("server", "failed");
      expect(lab.findStep("server", "bind", "exit")).toMatchObject({ result: -98, errno: "EADDRINUSE" });
      expect(lab.printk()).toContain("server: bind error\n");
      expect(lab.console()).toContain(
        "insmod: ERROR: could not insert module server.ko: Address already in use",
      );
    } finally {
      squatter.close();
    }
  });

  it('refuses to load a module twice, as insmod does: "File exists"', async () => {
    const lab = await open();
    lab.send({ type: "module.load", module: "server" });
    await lab.waitForStep("server", "accept", "enter");
    lab.send({ type: "module.load", module: "server" });
    await lab.waitFor((e) => e.type === "console" && e.text.includes("File exists"));
    expect(lab.console()).toContain("insmod: ERROR: could not insert module server.ko: File exists");
  });

  it("refuses rmmod of a server still blocked in accept as kmod's rmmod does: init holds a reference, so the module is in use", async () => {
    const lab = await open();
    lab.send({ type: "module.load", module: "server" });
    await lab.waitForStep("server", "accept", "enter");
    lab.send({ type: "module.unload", module: "server" });
    await lab.waitFor((e) => e.type === "console" && e.text.includes("in use"));
    expect(lab.console()).toContain("rmmod: ERROR: Module server is in use");
  });
});

describe("bad input", () => {
  it("answers malformed JSON and unknown commands with an error event and keeps the session", async () => {
    const lab = await open();
    lab.send("{not json");
    lab.send({ type: "module.explode" } as never);
    lab.send({ type: "module.load", module: "kernel" } as never);
    await lab.waitFor((e) => e.type === "error" && e.code === "bad-message");
    expect(lab.of("error").map((e) => e.code)).toEqual(["bad-json", "unknown-command", "bad-message"]);
    lab.send({ type: "module.load", module: "client" });
    await lab.waitForState("client", "failed");
  });
});

describe("sessions", () => {
  it("gives each tab its own lab: a second session gets its own port and none of the first's events", async () => {
    const first = await open();
    const second = await open();
    expect(labPortOf(first)).not.toBe(labPortOf(second));
    first.send({ type: "module.load", module: "server" });
    await first.waitForStep("server", "accept", "enter");
    second.send({ type: "module.load", module: "client" });
    await second.waitForState("client", "failed");
    expect(second.printk()).not.toContain("server init:\n");
    expect(first.printk()).not.toContain("client:init\n");
  });

  it("releases every socket of a lab when its tab closes: the port can be bound again", async () => {
    const lab = await open();
    const port = labPortOf(lab);
    lab.send({ type: "module.load", module: "server" });
    await lab.waitForStep("server", "accept", "enter");
    await lab.close();
    const probe = net.createServer();
    await expect.poll(() => tryListen(probe, port), { timeout: 3000 }).toBe(true);
    probe.close();
  });
});

function tryListen(server: net.Server, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    server.once("error", () => resolve(false));
    server.listen({ host: "127.0.0.1", port, exclusive: true }, () => resolve(true));
  });
}
