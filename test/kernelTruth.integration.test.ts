import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { ServerEventOf } from "../shared/protocol/messages.ts";
import type { LabClient } from "./helpers/labClient.ts";
import { labPortOf, labAppPerTest } from "./helpers/labApp.ts";

const lab$ = labAppPerTest();
const open = () => lab$.open();

type Row = { local: string; remote: string; state: string; txQueue: number; rxQueue: number; inode: number };

const STATES = [
  "",
  "ESTABLISHED",
  "SYN_SENT",
  "SYN_RECV",
  "FIN_WAIT1",
  "FIN_WAIT2",
  "TIME_WAIT",
  "CLOSE",
  "CLOSE_WAIT",
  "LAST_ACK",
  "LISTEN",
  "CLOSING",
];

/**
 * The test's own reading of /proc/net/tcp, independent of the app's parser: the lab binds IPv4
 * loopback only, and on x86 the kernel prints the address word little-endian ("0100007F").
 */
function procRows(port: number): Row[] {
  const rows: Row[] = [];
  for (const line of readFileSync("/proc/net/tcp", "utf8").split("\n").slice(1)) {
    const f = line.trim().split(/\s+/);
    if (f.length < 10) continue;
    const endpoint = (field: string) => {
      const [addr, p] = field.split(":") as [string, string];
      return {
        text: `${Buffer.from(addr, "hex").reverse().join(".")}:${Number.parseInt(p, 16)}`,
        port: Number.parseInt(p, 16),
      };
    };
    const local = endpoint(f[1]!);
    const remote = endpoint(f[2]!);
    if (local.port !== port && remote.port !== port) continue;
    const [tx, rx] = f[4]!.split(":").map((q) => Number.parseInt(q, 16)) as [number, number];
    rows.push({
      local: local.text,
      remote: remote.text,
      state: STATES[Number.parseInt(f[3]!, 16)]!,
      txQueue: tx,
      rxQueue: rx,
      inode: Number(f[9]),
    });
  }
  return sortRows(rows);
}

function sortRows(rows: Row[]): Row[] {
  return [...rows].sort((a, b) =>
    `${a.local} ${a.remote} ${a.state}`.localeCompare(`${b.local} ${b.remote} ${b.state}`),
  );
}

function paneRows(lab: LabClient): Row[] | undefined {
  const last = lab.of("tcp.state").at(-1);
  if (!last) return undefined;
  const shown = last.rows.map(({ family: _family, ...r }) => ({
    ...r,
    local: `${r.local.address}:${r.local.port}`,
    remote: `${r.remote.address}:${r.remote.port}`,
  }));
  return sortRows(shown);
}

function lastTcpState(lab: LabClient): ServerEventOf<"tcp.state"> | undefined {
  return lab.of("tcp.state").at(-1);
}

async function stepUntilWaiting(lab: LabClient, module: "server" | "client", step: string): Promise<void> {
  for (;;) {
    const waiting = lab.of("step.waiting").filter((e) => e.module === module);
    const last = waiting.at(-1);
    if (last?.step === step) return;
    const count = waiting.length;
    lab.send({ type: "step.next", module });
    await lab.waitFor(() => lab.of("step.waiting").filter((e) => e.module === module).length > count);
  }
}

describe("the Socket states pane reads the kernel's own table", () => {
  it("shows the rows /proc/net/tcp holds at the same moment: the listener while accept blocks", async () => {
    const lab = await open();
    const port = labPortOf(lab);
    lab.send({ type: "module.load", module: "server" });
    await lab.waitForStep("server", "accept", "enter");
    await expect.poll(() => paneRows(lab), { timeout: 3000 }).toEqual(procRows(port));
    expect(lastTcpState(lab)!.rows).toEqual([
      expect.objectContaining({
        state: "LISTEN",
        local: { address: "127.0.0.1", port },
        remote: { address: "0.0.0.0", port: 0 },
      }),
    ]);
  });

  it("shows a paused connection as /proc/net/tcp does, the 1024 unread bytes in the server's Recv-Q", async () => {
    const lab = await open();
    const port = labPortOf(lab);
    lab.send({ type: "stepMode.set", enabled: true });
    lab.send({ type: "module.load", module: "server" });
    await lab.waitForStep("server", "sock_create_kern", "waiting");
    lab.send({ type: "module.load", module: "client" });
    await stepUntilWaiting(lab, "server", "accept");
    lab.send({ type: "step.next", module: "server" });
    await stepUntilWaiting(lab, "client", "connect");
    lab.send({ type: "step.next", module: "client" });
    await stepUntilWaiting(lab, "client", "kernel_sendmsg");
    lab.send({ type: "step.next", module: "client" });
    // The server now waits before kernel_recvmsg: the client's bytes sit in the kernel's queue.
    await stepUntilWaiting(lab, "server", "kernel_recvmsg");
    await lab.waitForStep("client", "kernel_sendmsg", "exit");

    await expect.poll(() => paneRows(lab), { timeout: 3000 }).toEqual(procRows(port));
    // An earlier connection on this port number (another test's, the port handed out again) may
    // still be in TIME_WAIT: the kernel lists it, so the pane does too; it holds no socket of this lab.
    const rows = lastTcpState(lab)!.rows.filter((r) => r.state !== "TIME_WAIT");
    expect(rows.map((r) => r.state)).toEqual(["LISTEN", "ESTABLISHED", "ESTABLISHED"]);
    const serverSide = rows.find((r) => r.state === "ESTABLISHED" && r.local.port === port)!;
    const clientSide = rows.find((r) => r.remote.port === port)!;
    expect(serverSide.rxQueue).toBe(1024);
    expect(clientSide.local.port).toBe(serverSide.remote.port);
    expect(clientSide.inode).toBeGreaterThan(0);
  });
});

describe("faithful mode behaves as the published listing would", () => {
  it("leaves the client's socket in CLOSE_WAIT after the server released its side, and closes it when the session ends", async () => {
    const lab = await open();
    const port = labPortOf(lab);
    lab.send({ type: "module.load", module: "server" });
    await lab.waitForStep("server", "accept", "enter");
    lab.send({ type: "module.load", module: "client" });
    await lab.waitForState("client", "live");
    await lab.waitForState("server", "live");
    lab.send({ type: "module.unload", module: "server" });
    lab.send({ type: "module.unload", module: "client" });
    await lab.waitForState("client", "unloaded");

    const clientRow = () => lastTcpState(lab)?.rows.find((r) => r.remote.port === port);
    await expect.poll(() => clientRow()?.state, { timeout: 3000 }).toBe("CLOSE_WAIT");
    expect(procRows(port).find((r) => r.remote.endsWith(`:${port}`))).toMatchObject({
      state: "CLOSE_WAIT",
      inode: clientRow()!.inode,
    });
    // The client's ACK of the FIN moves the server's side on to FIN_WAIT2 a moment later: a read can fall between.
    const serverSide = () =>
      lastTcpState(lab)?.rows.find((r) => r.local.port === port && r.state !== "LISTEN")?.state;
    await expect.poll(serverSide, { timeout: 3000 }).toBe("FIN_WAIT2");

    await lab.close();
    // No socket of the lab is owned any more: what remains is the kernel's own TIME_WAIT, inode 0.
    await expect
      .poll(() => procRows(port).filter((r) => r.state !== "TIME_WAIT"), { timeout: 3000 })
      .toEqual([]);
  });
});

describe("fixed mode", () => {
  it("returns from insmod at once, receives in its kthread, and closes every socket on rmmod", async () => {
    const lab = await open();
    const port = labPortOf(lab);
    lab.send({ type: "variant.select", variant: "fixed" });
    await lab.waitFor((e) => e.type === "settings" && e.variant === "fixed");
    lab.send({ type: "module.load", module: "server" });
    await lab.waitForState("server", "live");
    await lab.waitForStep("server", "accept", "enter");
    lab.send({ type: "module.load", module: "client" });
    await lab.waitForState("client", "live");
    await lab.waitForStep("server", "sock_release_conn", "exit");
    expect(
      lab
        .of("module.state")
        .filter((e) => e.state === "live")
        .map((e) => [e.module, e.initResult]),
    ).toEqual([
      ["server", 0],
      ["client", 0],
    ]);
    // "server: receive message (1024 bytes): " is 38 bytes. A pr_info() record keeps 989 in all: its
    // 2-byte KERN_INFO prefix counts in the 991 the kernel writes and is stripped afterwards, which
    // the real kernel shows too (test/realKernel.integration.test.ts: 951 bytes of 0x01).
    expect(lab.printk()).toContain(`server: receive message (1024 bytes): ${"^A".repeat(989 - 38)}`);
    expect(lab.printk().join("")).not.toContain("suspiciously");

    lab.send({ type: "module.unload", module: "client" });
    await lab.waitForState("client", "unloaded");
    lab.send({ type: "module.unload", module: "server" });
    await lab.waitForState("server", "unloaded");
    expect(lab.printk()).toEqual(
      expect.arrayContaining(["server: accept returned -22, loop ends\n", "good bye\n", "client exit!\n"]),
    );

    // The side that closed first (the server's accepted socket) waits in TIME_WAIT; nothing else is left.
    await expect.poll(() => procRows(port).map((r) => r.state), { timeout: 3000 }).toEqual(["TIME_WAIT"]);
    await expect
      .poll(() => lastTcpState(lab)?.rows.map((r) => [r.state, r.local.port]), { timeout: 3000 })
      .toEqual([["TIME_WAIT", port]]);
  });

  it("ends the accept thread on rmmod with no client: shutdown makes the blocked accept return -EINVAL", async () => {
    const lab = await open();
    const port = labPortOf(lab);
    lab.send({ type: "variant.select", variant: "fixed" });
    lab.send({ type: "module.load", module: "server" });
    await lab.waitForState("server", "live");
    await lab.waitForStep("server", "accept", "enter");
    lab.send({ type: "module.unload", module: "server" });
    await lab.waitForState("server", "unloaded");
    const exits = lab
      .of("step")
      .filter((e) => e.phase === "exit")
      .map((e) => [e.step, e.result]);
    expect(exits).toEqual(
      expect.arrayContaining([
        ["kernel_sock_shutdown", 0],
        ["accept", -22],
      ]),
    );
    expect(exits.at(-1)).toEqual(["sock_release_listener", null]);
    expect(lab.printk()).toContain("server: accept returned -22, loop ends\n");
    await expect.poll(() => procRows(port), { timeout: 3000 }).toEqual([]);
  });
});

describe("fixed mode in step mode", () => {
  it("lets the accept kthread and rmmod's exit each wait their turn, oldest first", async () => {
    const lab = await open();
    lab.send({ type: "variant.select", variant: "fixed" });
    lab.send({ type: "stepMode.set", enabled: true });
    await lab.waitFor((e) => e.type === "settings" && e.variant === "fixed" && e.stepMode);
    lab.send({ type: "module.load", module: "server" });
    await stepUntilWaiting(lab, "server", "kthread_run");
    lab.send({ type: "step.next", module: "server" });
    await lab.waitForState("server", "live");
    await lab.waitForStep("server", "accept", "waiting");

    lab.send({ type: "module.unload", module: "server" });
    await lab.waitForStep("server", "kernel_sock_shutdown", "waiting");
    lab.send({ type: "step.next", module: "server" });
    await lab.waitForStep("server", "accept", "enter");
    lab.send({ type: "step.next", module: "server" });
    await lab.waitForStep("server", "accept", "exit");
    await lab.waitForStep("server", "sock_release_listener", "waiting");
    lab.send({ type: "step.next", module: "server" });
    await lab.waitForState("server", "unloaded");
    expect(lab.findStep("server", "accept", "exit")).toMatchObject({
      result: -22,
      errno: "EINVAL",
    });
  });
});

describe("the bytes on the wire", () => {
  it("carries the bytes kernel_recvmsg received on its step, as the run received them", async () => {
    const lab = await open();
    lab.send({ type: "module.load", module: "server" });
    await lab.waitForStep("server", "accept", "enter");
    lab.send({ type: "module.load", module: "client" });
    await lab.waitForState("server", "live");
    const recv = lab.findStep("server", "kernel_recvmsg", "exit")!;
    expect(recv.data).toMatchObject({ length: 1024, bufferSize: 1024 });
    expect([...Buffer.from(recv.data!.base64, "base64")]).toEqual(new Array(1024).fill(1));
    const send = lab.findStep("client", "kernel_sendmsg", "exit")!;
    expect(send.data).toMatchObject({ length: 1024 });
  });
});
