import { describe, expect, it } from "vitest";
import { isDone } from "../shared/content/lesson/doneWhen.ts";
import type { LabEvent } from "../shared/protocol/messages.ts";

let seq = 0;
const at = { variant: "published", cLine: 1, tsLine: 1 } as const;
function ev<T extends LabEvent["type"]>(event: Omit<Extract<LabEvent, { type: T }>, "seq" | "t">): LabEvent {
  // Through unknown: TS cannot relate Omit of a generic union member back to the union (e.g. tcp.state).
  return { ...event, seq: ++seq, t: seq / 1000 } as unknown as LabEvent;
}

const serverPausedBeforeAccept = ev<"step.waiting">({
  type: "step.waiting",
  module: "server",
  step: "accept",
  ...at,
});
const clientConnected = ev<"step">({
  type: "step",
  module: "client",
  step: "connect",
  phase: "exit",
  result: 0,
  ...at,
});
const clientRefused = ev<"module.state">({
  type: "module.state",
  module: "client",
  state: "failed",
  variant: "published",
  initResult: -111,
});
const rmmodRefused = ev<"console">({
  type: "console",
  text: "rmmod: ERROR: Module server is in use",
});

describe("a lesson task's done-when condition", () => {
  it("is met by the event it names and not by another module's", () => {
    const condition = { type: "step", module: "client", step: "connect", phase: "exit", result: 0 } as const;
    expect(isDone(condition, [clientConnected])).toBe(true);
    expect(isDone({ ...condition, module: "server" }, [clientConnected])).toBe(false);
    expect(isDone(condition, [])).toBe(false);
  });

  it("tells a failure with -111 from a failure with another errno", () => {
    expect(
      isDone({ type: "module.state", module: "client", state: "failed", initResult: -111 }, [clientRefused]),
    ).toBe(true);
    expect(
      isDone({ type: "module.state", module: "client", state: "failed", initResult: -98 }, [clientRefused]),
    ).toBe(false);
  });

  it("finds a shell answer by its text", () => {
    expect(isDone({ type: "console", includes: "Module server is in use" }, [rmmodRefused])).toBe(true);
    expect(isDone({ type: "console", includes: "Module client is in use" }, [rmmodRefused])).toBe(false);
  });

  it("needs a sequence in its order: connect after the server paused before accept", () => {
    const condition = {
      type: "sequence",
      of: [
        { type: "step.waiting", module: "server", step: "accept" },
        { type: "step", module: "client", step: "connect", phase: "exit", result: 0 },
      ],
    } as const;
    expect(isDone(condition, [serverPausedBeforeAccept, clientConnected])).toBe(true);
    expect(isDone(condition, [clientConnected, serverPausedBeforeAccept])).toBe(false);
  });

  it("needs every part of an `all`, in any order", () => {
    const condition = {
      type: "all",
      of: [
        { type: "console", includes: "rmmod" },
        { type: "module.state", module: "client", state: "failed" },
      ],
    } as const;
    expect(isDone(condition, [clientRefused, rmmodRefused])).toBe(true);
    expect(isDone(condition, [clientRefused])).toBe(false);
  });
});
