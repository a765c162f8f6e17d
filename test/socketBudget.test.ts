import { describe, expect, it } from "vitest";
import { FD_RESERVE, LabSocketBudget, labSocketTotal, MIN_LAB_SHARE } from "../server/lab/socketBudget.ts";
import WebSocket from "ws";
import { labSocketUrl } from "./helpers/labSocketUrl.ts";
import type { ServerEvent } from "../shared/protocol/messages.ts";
import { labAppPerTest } from "./helpers/labApp.ts";

describe("the descriptors shared out to the labs' sockets", () => {
  it("gives each lab its fair share of the total, never more than its own cap nor than the other labs leave free", () => {
    const budget = new LabSocketBudget(60);
    for (let i = 0; i < 3; i++) budget.labOpened();
    expect(budget.capFor(0, 64)).toBe(20);
    expect(budget.capFor(0, 8)).toBe(8);
    for (let i = 0; i < 55; i++) budget.take();
    // Five left in all: a lab holding 2 may reach 7, below its share of 20.
    expect(budget.capFor(2, 64)).toBe(7);
    budget.labClosed();
    expect(budget.capFor(0, 64)).toBe(5);
  });

  it("refuses another lab once it could not get its minimum share, and takes one again when a lab closes", () => {
    const budget = new LabSocketBudget(3 * MIN_LAB_SHARE);
    budget.labOpened();
    budget.labOpened();
    expect(budget.roomForLab()).toBe(true);
    budget.labOpened();
    expect(budget.roomForLab()).toBe(false);
    budget.labClosed();
    expect(budget.roomForLab()).toBe(true);
  });

  it("is what the descriptor limit leaves after the connections' cap and a reserve; unbounded where the limit is unknown", () => {
    expect(labSocketTotal(20_000, 4096)).toBe(20_000 - 4096 - FD_RESERVE);
    expect(labSocketTotal(undefined, 256)).toBe(Number.POSITIVE_INFINITY);
  });
});

const harness = labAppPerTest({ port: 0, labPort: 0, labSocketBudget: 2 * MIN_LAB_SHARE });

/** A tab that opens the lab's WebSocket and records what it is told until it is closed. */
function refusedTab(url: string): Promise<{ code: number; messages: ServerEvent[] }> {
  const ws = new WebSocket(labSocketUrl(url));
  const messages: ServerEvent[] = [];
  ws.on("message", (data) => messages.push(JSON.parse(String(data))));
  ws.on("error", () => {});
  return new Promise((resolve) => ws.once("close", (code) => resolve({ code, messages })));
}

describe("a lab server whose descriptors are shared out", () => {
  it("tells a learner the server is full, naming its sockets, when another lab could not get its share, and opens one again when a lab closes", async () => {
    const first = await harness.open();
    await harness.open();
    const refused = await refusedTab(harness.app.url);
    expect(refused.code).toBe(1013);
    expect(refused.messages).toEqual([
      {
        type: "error",
        code: "full",
        message: expect.stringMatching(/labs hold the 12 sockets its file descriptors allow/),
      },
    ]);
    await first.close();
    await expect.poll(() => harness.app.sessions.size).toBe(1);
    const later = await harness.open();
    expect(later.of("hello")).toHaveLength(1);
  });
});
