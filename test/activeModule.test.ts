import { describe, expect, it } from "vitest";
import type { ModuleView } from "../client/src/connection/labView.ts";
import { activeModule } from "../client/src/layout/activeModule.ts";
import type { LabEvent } from "../shared/protocol/messages.ts";

const source = (events: LabEvent[]) => ({ length: events.length, at: (p: number) => events[p] });
const step = (module: "server" | "client", phase: "enter" | "exit", seq: number): LabEvent =>
  ({
    type: "step",
    module,
    step: "accept",
    phase,
    result: phase === "exit" ? 0 : null,
    seq,
    t: seq,
  }) as LabEvent;
const waiting = (module: "server" | "client", seq: number): LabEvent =>
  ({ type: "step.waiting", module, step: "kernel_sendmsg", seq, t: seq }) as LabEvent;

describe("the module the focus layout gives the room to", () => {
  it("is the one the lab moved last when no other module is held before a call", () => {
    const views: Record<string, ModuleView> = {
      server: { state: "loading", current: { step: "accept", phase: "running" } as ModuleView["current"] },
      client: { state: "unloaded" },
    };
    expect(activeModule(source([step("server", "enter", 1)]), 0, 1, views)).toBe("server");
  });

  it("is the module held before a call, even when the other module's call was reported after that stop (the VM paused whole)", () => {
    const views: Record<string, ModuleView> = {
      server: {
        state: "live",
        current: { step: "kernel_recvmsg", phase: "running" } as ModuleView["current"],
      },
      client: {
        state: "loading",
        current: { step: "kernel_sendmsg", phase: "waiting" } as ModuleView["current"],
      },
    };
    const events = [waiting("client", 1), step("server", "exit", 2), step("server", "enter", 3)];
    expect(activeModule(source(events), 0, 3, views)).toBe("client");
  });
});
