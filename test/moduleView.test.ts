import { describe, expect, it } from "vitest";
import { moduleView } from "../client/src/connection/labView.ts";
import type { LabEvent } from "../shared/protocol/messages.ts";
import type { StepId } from "../shared/protocol/steps.ts";

let seq = 0;
function step(step: StepId, phase: "enter" | "exit", tsLine: number, result: number | null = null): LabEvent {
  return {
    type: "step",
    seq: ++seq,
    t: seq / 1000,
    module: "server",
    variant: "fixed",
    step,
    phase,
    cLine: tsLine,
    tsLine,
    result,
  };
}
function state(state: "loading" | "live"): LabEvent {
  return { type: "module.state", seq: ++seq, t: seq / 1000, module: "server", state, variant: "fixed" };
}

describe("the module's current call", () => {
  it("is the thread's blocked accept once init's kthread_run has returned", () => {
    const events = [
      state("loading"),
      step("kthread_run", "enter", 97),
      step("accept", "enter", 37),
      step("kthread_run", "exit", 97, 0),
      state("live"),
    ];
    expect(moduleView(events, "server").current).toMatchObject({
      step: "accept",
      phase: "running",
      tsLine: 37,
    });
  });

  it("is the call that returned last when no other call is running", () => {
    const events = [state("loading"), step("bind", "enter", 25), step("bind", "exit", 25, -98)];
    expect(moduleView(events, "server").current).toMatchObject({ step: "bind", phase: "done", result: -98 });
  });

  it("forgets calls left running by an earlier load", () => {
    const events = [
      state("loading"),
      step("accept", "enter", 37),
      state("loading"),
      step("bind", "enter", 25),
      step("bind", "exit", 25, 0),
    ];
    expect(moduleView(events, "server").current).toMatchObject({ step: "bind", phase: "done" });
  });
});
