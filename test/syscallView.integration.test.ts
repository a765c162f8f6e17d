import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import type { ServerEvent, ServerEventOf } from "../shared/protocol/messages.ts";
import type { SyscallLine } from "../shared/protocol/syscallMessages.ts";
import { labAppPerTest, labPortOf } from "./helpers/labApp.ts";
import type { LabClient } from "./helpers/labClient.ts";

const harness = labAppPerTest({ port: 0, labPort: 0, syscallViewMax: 2 });

const lines = (lab: LabClient): SyscallLine[] => lab.of("syscalls").flatMap((e) => e.lines);
const status = (lab: LabClient) => lab.of("syscalls.status").at(-1);
const tracing = (e: ServerEvent) => e.type === "syscalls.status" && e.state === "tracing";

type Row = { pid: number; ppid: number; stat: string; args: string };

function processTable(): Row[] {
  const out = execFileSync("ps", ["-eo", "pid=,ppid=,stat=,args="], { encoding: "utf8" });
  return out
    .split("\n")
    .map((line) => /^\s*(\d+)\s+(\d+)\s+(\S+)\s+(.*)$/.exec(line))
    .filter((m) => m !== null)
    .map((m) => ({ pid: Number(m[1]), ppid: Number(m[2]), stat: m[3] ?? "", args: m[4] ?? "" }));
}

/** This app's straces (its children) and the workers under them. */
function tracedProcesses(): { straces: Row[]; workers: Row[] } {
  const table = processTable();
  const straces = table.filter((r) => r.ppid === process.pid && /\bstrace\b/.test(r.args));
  const workers = table.filter((r) => straces.some((s) => s.pid === r.ppid));
  return { straces, workers };
}

/** Which of these processes are still in the process table (a zombie counts). */
function stillThere(pids: readonly number[]): number[] {
  const table = processTable();
  return pids.filter((pid) => table.some((r) => r.pid === pid));
}

async function runLesson(lab: LabClient): Promise<void> {
  const from = lab.events.length;
  lab.send({ type: "module.load", module: "server" });
  await lab.waitFor((e) => e.type === "step" && e.step === "accept" && e.phase === "enter");
  lab.send({ type: "module.load", module: "client" });
  await lab.waitFor(
    (e) =>
      lab.events.indexOf(e) >= from &&
      e.type === "module.state" &&
      e.module === "server" &&
      e.state === "live",
  );
}

function inStep(lab: LabClient, module: string, step: string): string[] {
  return lines(lab)
    .filter((l) => l.module === module && l.step === step)
    .map((l) => l.text);
}

describe("the System calls view: the Node lab in a worker under strace", () => {
  it("shows bind and listen with the lab's port in the bind step, connect in the connect step, a read of 1024 bytes in the recv step and close in the release step", async () => {
    const lab = await harness.open();
    await lab.waitFor((e) => e.type === "hello");
    const port = labPortOf(lab);
    lab.send({ type: "syscalls.trace", on: true });
    await lab.waitFor(tracing, 15_000);
    expect(status(lab)).toMatchObject({ mechanism: "strace" });
    await runLesson(lab);
    await expect
      .poll(() => inStep(lab, "server", "sock_release_conn").join("\n"), { timeout: 10_000 })
      .toMatch(/^close\(/m);
    const bind = inStep(lab, "server", "bind").join("\n");
    expect(bind).toMatch(new RegExp(`^bind\\(\\d+<socket:\\[\\d+\\]>, .*htons\\(${port}\\).* = 0$`, "m"));
    expect(bind).toMatch(/^listen\(.* = 0$/m);
    expect(bind).toMatch(/^socket\(AF_INET, SOCK_STREAM/m);
    expect(inStep(lab, "client", "connect").join("\n")).toMatch(
      new RegExp(`^connect\\(.*htons\\(${port}\\).* = (0|-1 EINPROGRESS)`, "m"),
    );
    expect(inStep(lab, "server", "kernel_recvmsg").join("\n")).toMatch(/^(read|recvfrom)\(.* = 1024$/m);
    expect(inStep(lab, "server", "sock_create_kern")).toEqual([]);
    // The step events and the lines share the gate's clock: a line's stepAt is its call's enter t.
    const bindEnter = lab
      .of("step")
      .find(
        (e) => e.module === "server" && e.step === "bind" && e.phase === "enter",
      ) as ServerEventOf<"step">;
    expect(lines(lab).find((l) => l.step === "bind")?.stepAt).toBe(bindEnter.t);
  });

  it("shows EADDRINUSE on bind( when the port is occupied", async () => {
    const lab = await harness.open();
    lab.send({ type: "syscalls.trace", on: true });
    await lab.waitFor(tracing, 15_000);
    lab.send({ type: "port.occupy" });
    await lab.waitFor((e) => e.type === "port" && e.occupied);
    lab.send({ type: "module.load", module: "server" });
    await lab.waitFor((e) => e.type === "module.state" && e.module === "server" && e.state === "failed");
    await expect
      .poll(() => inStep(lab, "server", "bind").join("\n"), { timeout: 10_000 })
      .toMatch(/^bind\(.* = -1 EADDRINUSE/m);
  });

  it("starts the traced lab again when strace is killed, and leaves no process behind when the session closes", async () => {
    const lab = await harness.open();
    lab.send({ type: "syscalls.trace", on: true });
    await lab.waitFor(tracing, 15_000);
    await expect.poll(() => tracedProcesses().workers.length, { timeout: 10_000 }).toBe(1);
    const first = tracedProcesses();
    const seen = [...first.straces, ...first.workers].map((r) => r.pid);
    process.kill(first.straces[0]?.pid ?? 0, "SIGKILL");
    await lab.waitFor((e) => e.type === "console" && /strace ended/.test(e.text));
    await expect.poll(() => lab.events.filter(tracing).length, { timeout: 15_000 }).toBe(2);
    await expect.poll(() => stillThere(seen), { timeout: 10_000 }).toEqual([]);
    await runLesson(lab);
    await expect
      .poll(() => inStep(lab, "server", "bind").join("\n"), { timeout: 10_000 })
      .toMatch(/^listen\(/m);
    const second = tracedProcesses();
    seen.push(...[...second.straces, ...second.workers].map((r) => r.pid));
    // The worker killed under strace: strace ends with it, and the lab starts once more.
    process.kill(second.workers[0]?.pid ?? 0, "SIGKILL");
    await expect.poll(() => lab.events.filter(tracing).length, { timeout: 15_000 }).toBe(3);
    const third = tracedProcesses();
    seen.push(...[...third.straces, ...third.workers].map((r) => r.pid));
    expect(lab.of("error").filter((e) => e.code === "internal")).toEqual([]);
    // The app is never under strace: no call of its own or of a lab comes back ENOSYS.
    expect(lab.events.filter((e) => JSON.stringify(e).includes("ENOSYS"))).toEqual([]);
    // The tab's WebSocket closes mid-run (the server blocked in accept): nothing of the lab is left.
    lab.send({ type: "module.load", module: "server" });
    await lab.waitFor((e) => e.type === "step" && e.step === "accept" && e.phase === "enter" && e.t > 0);
    await lab.close();
    await expect.poll(() => stillThere(seen), { timeout: 10_000 }).toEqual([]);
  });

  it("queues a lab past SYSCALL_VIEW_MAX with the reason, and starts it when a traced lab closes", async () => {
    const first = await harness.open();
    const second = await harness.open();
    const third = await harness.open();
    for (const lab of [first, second]) lab.send({ type: "syscalls.trace", on: true });
    await Promise.all([first, second].map((lab) => lab.waitFor(tracing, 15_000)));
    third.send({ type: "syscalls.trace", on: true });
    await third.waitFor((e) => e.type === "syscalls.status" && e.state === "queued");
    expect(status(third)?.reason).toMatch(/SYSCALL_VIEW_MAX/);
    await first.close();
    await third.waitFor(tracing, 15_000);
  });
});
