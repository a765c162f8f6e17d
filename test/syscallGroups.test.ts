import { describe, expect, it } from "vitest";
import type { LabEvent } from "../shared/protocol/messages.ts";
import type { SyscallLine } from "../shared/protocol/syscallMessages.ts";
import { linesByCall, looseLines, syscallGroups } from "../client/src/dock/syscallGroups.ts";

let seq = 0;
function step(
  module: "server" | "client",
  stepId: "bind" | "listen" | "connect",
  phase: "enter" | "exit",
  t: number,
): LabEvent {
  return {
    type: "step",
    seq: ++seq,
    t,
    module,
    variant: "published",
    step: stepId,
    phase,
    cLine: 1,
    tsLine: 1,
    result: phase === "exit" ? 0 : null,
  };
}

const lines: SyscallLine[] = [
  { t: 1.1, text: "bind(19<socket:[1]>, …) = 0", name: "bind", module: "server", step: "bind", stepAt: 1 },
  {
    t: 1.2,
    text: "listen(19<socket:[1]>, 10) = 0",
    name: "listen",
    module: "server",
    step: "bind",
    stepAt: 1,
  },
  {
    t: 2.5,
    text: "epoll_ctl(14<anon_inode:[eventpoll]>, EPOLL_CTL_ADD, 19<socket:[1]>, …) = 0",
    module: "server",
    loop: true,
  },
  {
    t: 3.1,
    text: "connect(20<socket:[2]>, …) = -1 EINPROGRESS",
    name: "connect",
    module: "client",
    step: "connect",
    stepAt: 3,
  },
];

describe("the System calls tab's calls", () => {
  const events = [
    step("server", "bind", "enter", 1),
    step("server", "bind", "exit", 1.5),
    step("server", "listen", "enter", 2),
    step("server", "listen", "exit", 2.1),
    step("client", "connect", "enter", 3),
    step("client", "connect", "exit", 3.2),
  ];

  it("gives each call the lines made in it, and the event loop's lines to the call they followed", () => {
    const groups = syscallGroups(events, linesByCall(lines), looseLines(lines));
    expect(groups.map((g) => [g.step, g.lines.length, g.after.length])).toEqual([
      ["bind", 2, 0],
      ["listen", 0, 1],
      ["connect", 1, 0],
    ]);
    expect(groups.filter((g) => g.current).map((g) => g.step)).toEqual(["connect"]);
  });

  it("shows, on Step back, only the calls up to the moment shown, and none of the later lines", () => {
    const groups = syscallGroups(events.slice(0, 3), linesByCall(lines), looseLines(lines));
    expect(groups.map((g) => g.step)).toEqual(["bind", "listen"]);
    expect(groups.find((g) => g.current)?.step).toBe("listen");
    expect(groups[1]?.after).toEqual([]);
  });
});
