import { describe, expect, it } from "vitest";
import { judgeLastRun } from "../client/src/playground/exercises.ts";
import type { LabEvent } from "../shared/protocol/messages.ts";

let seq = 0;
const at = (t: number, body: object) => ({ seq: ++seq, t, engine: "real-kernel", ...body }) as LabEvent;
const state = (t: number, module: string, s: string, extra: object = {}) =>
  at(t, { type: "module.state", module, state: s, variant: "fixed", ...extra });
const recv = (t: number, result: number) =>
  at(t, {
    type: "step",
    module: "server",
    variant: "fixed",
    step: "kernel_recvmsg",
    phase: "exit",
    cLine: 47,
    tsLine: 1,
    result,
  });
const printk = (t: number, source: string, text: string) => at(t, { type: "printk", source, text });
const row = (state: string, inode: number) => ({
  family: "ipv4",
  local: { address: "127.0.0.1", port: 0x8888 },
  remote: { address: "127.0.0.1", port: 40000 },
  state,
  txQueue: 0,
  rxQueue: 0,
  inode,
});
const verdicts = (events: LabEvent[]) =>
  Object.fromEntries((judgeLastRun(events)?.verdicts ?? []).map((v) => [v.id, v.verdict]));

describe("the exercises judged from the guest's events", () => {
  it("fail on the published pair's run: the client loads while the server's insmod waits, the server oopses, init's 1024 is suspicious, a socket stays owned", () => {
    const events = [
      state(1, "server", "loading"),
      state(2, "client", "loading"),
      at(3, { type: "oops", text: "BUG: kernel NULL pointer dereference", frames: [] }),
      printk(
        4,
        "kernel",
        "do_init_module: 'server'->init suspiciously returned 1024, it should follow 0/-E convention",
      ),
      state(5, "server", "live", { initResult: 0 }),
      state(6, "client", "live", { initResult: 0 }),
      state(7, "client", "unloaded"),
      state(8, "server", "unloaded"),
      at(9, { type: "tcp.state", rows: [row("CLOSE_WAIT", 1234)] }),
    ];
    expect(verdicts(events)).toEqual({
      receive1024: "fail",
      initReturnsZero: "fail",
      insmodReturns: "fail",
      noLeak: "fail",
      countPrinted: "pending",
    });
  });

  it("pass on a learner's fixed build: 1024 bytes received and counted, init returned 0 at once, only TIME_WAIT left", () => {
    const events = [
      state(10, "server", "loading", { learnerBuild: 3 }),
      state(10.2, "server", "live", { initResult: 0, learnerBuild: 3 }),
      state(11, "client", "loading"),
      recv(11.5, 1024),
      printk(11.6, "server", "server: receive message (1024 bytes): \\x01\\x01"),
      state(12, "client", "live", { initResult: 0 }),
      state(13, "client", "unloaded"),
      state(14, "server", "unloaded", { learnerBuild: 3 }),
      at(15, { type: "tcp.state", rows: [row("TIME_WAIT", 0)] }),
    ];
    const judged = judgeLastRun(events);
    expect(judged?.build).toBe(3);
    expect(verdicts(events)).toEqual({
      receive1024: "pass",
      initReturnsZero: "pass",
      insmodReturns: "pass",
      noLeak: "pass",
      countPrinted: "pass",
    });
  });

  it("judge nothing before the real kernel ran a server", () => {
    expect(judgeLastRun([printk(1, "server", "server init:")])).toBeUndefined();
  });
});
