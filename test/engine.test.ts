import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { EventStamper } from "../server/engine/eventStamper.ts";
import type { ServerEvent } from "../shared/protocol/messages.ts";

describe("engines behind one interface", () => {
  it("numbers the events of two engines' logs once and in order, each timed by its own clock", () => {
    const sent: ServerEvent[] = [];
    const stamper = new EventStamper((e) => sent.push(e));
    const node = stamper.log(() => 0.5);
    const vm = stamper.log(() => 12.25);
    node.emit({ type: "console", text: "$ insmod server.ko" });
    vm.emit({ type: "console", text: "$ insmod client.ko" });
    vm.emit({ type: "printk", source: "kernel", text: "record", level: 6 }, 3.5);
    node.emit({ type: "module.state", module: "server", state: "live", variant: "fixed", initResult: 0 });
    expect(sent.map((e) => ("seq" in e ? [e.seq, e.t] : []))).toEqual([
      [1, 0.5],
      [2, 12.25],
      [3, 3.5],
      [4, 0.5],
    ]);
  });

  it("numbers each engine's runs: a new run when an engine's clock starts again (a VM booted), none while it goes on", () => {
    const sent: ServerEvent[] = [];
    const stamper = new EventStamper((e) => sent.push(e));
    const node = stamper.log(() => 109, "node");
    const vm = stamper.log(() => 1.7, "real-kernel");
    node.emit({ type: "console", text: "$ insmod server.ko" });
    node.emit({ type: "console", text: "$ insmod client.ko" });
    vm.emit({ type: "console", text: "$ insmod server.ko" });
    vm.newRun();
    vm.newRun();
    vm.emit({ type: "console", text: "$ insmod server.ko" }, 0);
    stamper.newRun("node");
    node.emit({ type: "console", text: "$ insmod server.ko" });
    expect(sent.map((e) => ("run" in e ? [e.engine, e.run] : []))).toEqual([
      ["node", 1],
      ["node", 1],
      ["real-kernel", 2],
      ["real-kernel", 3],
      ["node", 4],
    ]);
  });

  it("sends nothing for an engine whose log is closed (a disposed engine)", () => {
    const sent: ServerEvent[] = [];
    const stamper = new EventStamper((e) => sent.push(e));
    const log = stamper.log(() => 0);
    log.close();
    log.emit({ type: "console", text: "late" });
    log.notice({ type: "engine", engine: "real-kernel", status: "stopped" });
    expect(sent).toEqual([]);
  });

  it("keeps Session free of any engine's name: a new engine is added in engines.ts, not in Session", () => {
    const session = readFileSync("server/session.ts", "utf8");
    expect(session).not.toMatch(/LabKernel|RealKernel|realKernel|"real-kernel"|"node"/);
  });
});
