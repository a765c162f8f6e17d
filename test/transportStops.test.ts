import { describe, expect, it } from "vitest";
import { stopAfter, stopBefore, transportStops } from "../client/src/controls/transportStops.ts";
import type { LabEvent } from "../shared/protocol/messages.ts";
import type { ModuleName, StepId } from "../shared/protocol/steps.ts";

let seq = 0;
const base = () => ({ seq: ++seq, t: seq / 1000, variant: "published" as const, cLine: 1, tsLine: 1 });
function waiting(module: ModuleName, step: StepId): LabEvent {
  return { type: "step.waiting", module, step, ...base() };
}
function call(module: ModuleName, step: StepId, phase: "enter" | "exit"): LabEvent {
  return { type: "step", module, step, phase, result: phase === "exit" ? 0 : null, ...base() };
}
function printk(text: string): LabEvent {
  return { type: "printk", seq: ++seq, t: seq / 1000, source: "server", text };
}

describe("the transport's stops", () => {
  it("stops once per kernel call, after the printk that followed it", () => {
    const events = [
      call("server", "sock_create_kern", "enter"), // 0
      call("server", "sock_create_kern", "exit"), // 1
      call("server", "bind", "enter"), // 2
      call("server", "bind", "exit"), // 3
      printk("server:bind ok!"), // 4
      call("server", "listen", "enter"), // 5
    ];
    expect(transportStops(events)).toEqual([1, 4, 5]);
  });

  it("counts a step-mode pause, its entry and its return as one call", () => {
    const events = [
      waiting("client", "connect"),
      call("client", "connect", "enter"),
      call("client", "connect", "exit"),
    ];
    expect(transportStops(events)).toEqual([2]);
  });

  it("stops where a call blocks while the other module runs, and again where it returns", () => {
    const events = [
      call("server", "accept", "enter"), // 0: blocked
      call("client", "connect", "enter"), // 1
      call("client", "connect", "exit"), // 2
      call("server", "accept", "exit"), // 3
    ];
    expect(transportStops(events)).toEqual([0, 2, 3]);
  });

  it("steps back to the previous stop and forward to the next, from anywhere between", () => {
    const stops = [1, 4, 5];
    expect(stopBefore(stops, 5)).toBe(4);
    expect(stopBefore(stops, 3)).toBe(1);
    expect(stopBefore(stops, 1)).toBe(0);
    expect(stopBefore(stops, 0)).toBeNull();
    expect(stopAfter(stops, 2)).toBe(4);
    expect(stopAfter(stops, 5)).toBeNull();
  });
});
