import { afterEach, describe, expect, it } from "vitest";
import { realKernelForTests } from "./helpers/realKernelRequirement.ts";
import { RealKernelEngine } from "../server/realKernel/engine.ts";
import { VmPool } from "../server/realKernel/vmPool.ts";
import { EventStamper } from "../server/engine/eventStamper.ts";
import type { ServerEvent } from "../shared/protocol/messages.ts";

const availability = realKernelForTests();
const BOOT_MS = 120_000;
const engines: RealKernelEngine[] = [];

afterEach(() => {
  for (const engine of engines.splice(0)) engine.dispose();
});

function engineOf(pool: VmPool, owner: string, idleMs: number) {
  const events: ServerEvent[] = [];
  const engine = new RealKernelEngine({
    stamper: new EventStamper((event) => events.push(event)),
    variant: "fixed",
    pool,
    owner,
    idleMs,
  });
  engines.push(engine);
  return { engine, events };
}

/** The engine's story in one line each, for a failure message. */
function story(events: ServerEvent[]): string {
  return events
    .map((e) =>
      e.type === "engine" ? `engine ${e.status} ${e.detail ?? ""}` : "text" in e ? e.text : e.type,
    )
    .join("\n");
}

async function until(check: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe.skipIf(!availability.ok)("an idle real-kernel VM gives its slot back (QEMU)", () => {
  it("powers off a VM with nothing loaded after REAL_KERNEL_IDLE_MS without a command, tells its owner why, and hands the slot to the learner queued behind", async () => {
    const pool = new VmPool(1, 1);
    const first = engineOf(pool, "10.0.0.5", 1500);
    // The client dials nothing and fails: the VM then holds nothing loaded.
    await first.engine.insmod("client");
    expect(first.events, story(first.events)).toContainEqual(
      expect.objectContaining({ type: "engine", status: "ready" }),
    );
    expect(pool.active).toBe(1);

    const second = engineOf(pool, "10.0.0.6", 60_000);
    const queued = second.engine.insmod("client");
    await until(() => second.events.some((e) => e.type === "engine" && e.status === "queued"), BOOT_MS);
    expect(second.events.find((e) => e.type === "engine" && e.status === "queued")).toMatchObject({
      position: 1,
    });

    await until(() => first.events.some((e) => e.type === "engine" && e.status === "stopped"), BOOT_MS);
    expect(first.events.findLast((e) => e.type === "engine")).toMatchObject({
      status: "stopped",
      reason: "idle",
      idleMs: 1_500,
      detail: expect.stringMatching(/^powered off after 2 s with nothing loaded and no command/),
    });
    expect(first.events).toContainEqual(
      expect.objectContaining({ type: "console", text: expect.stringContaining("[VM stopped: powered off") }),
    );
    await queued;
    expect(second.events).toContainEqual(expect.objectContaining({ type: "engine", status: "ready" }));
    expect(second.events).toContainEqual(
      expect.objectContaining({ type: "module.state", module: "client", state: "failed" }),
    );
  }, 300_000);
});
