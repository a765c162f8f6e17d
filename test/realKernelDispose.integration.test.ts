import { afterEach, describe, expect, it } from "vitest";
import { EventStamper } from "../server/engine/eventStamper.ts";
import { RealKernelEngine } from "../server/realKernel/engine.ts";
import { VmPool } from "../server/realKernel/vmPool.ts";
import type { ServerEvent } from "../shared/protocol/messages.ts";
import { openFds } from "./helpers/fdCount.ts";
import { ourQemus } from "./helpers/ourQemus.ts";
import { BOOT_MS, TEST_MS } from "./helpers/realKernelLab.ts";
import { realKernelForTests } from "./helpers/realKernelRequirement.ts";

const availability = realKernelForTests();
const engines: RealKernelEngine[] = [];

afterEach(() => {
  for (const engine of engines.splice(0)) engine.dispose();
});

/** The handles that would outlive an engine: sockets, pipes, child processes, timers. */
function openHandles(): string[] {
  return process
    .getActiveResourcesInfo()
    .filter((kind) => /^(TCP|Pipe|Process|Timeout)/.test(kind))
    .sort();
}

/** What this process holds, as one value to poll: QEMUs it started, descriptors, handles. */
function held() {
  return { qemus: ourQemus(), fds: openFds(), handles: openHandles() };
}

function engineOn(pool: VmPool) {
  const events: ServerEvent[] = [];
  const engine = new RealKernelEngine({
    stamper: new EventStamper((event) => events.push(event)),
    variant: "fixed",
    pool,
  });
  engines.push(engine);
  return { engine, events };
}

async function until(events: ServerEvent[], check: (e: ServerEvent) => boolean, timeoutMs: number) {
  await expect.poll(() => events.some(check), { timeout: timeoutMs, interval: 20 }).toBe(true);
}

describe.skipIf(!availability.ok)("a real-kernel engine disposed in the middle of a call (QEMU)", () => {
  it(
    "leaves no QEMU, descriptor, timer or VM slot behind when disposed while its VM boots, and its insmod ends quietly",
    async () => {
      const before = held();
      const pool = new VmPool(1, 1);
      const { engine, events } = engineOn(pool);
      const insmod = engine.insmod("server");
      // The second "booting" comes with the slot, as QEMU is started.
      await until(
        events,
        (e) => e.type === "engine" && e.status === "booting" && e.ms === undefined,
        BOOT_MS,
      );
      await expect.poll(() => ourQemus().length, { timeout: 10_000 }).toBe(1);
      expect(pool.active).toBe(1);
      const seen = events.length;
      engine.dispose();
      await expect(insmod).resolves.toBeUndefined();
      await expect.poll(held, { timeout: 10_000, interval: 50 }).toEqual(before);
      expect(pool.active).toBe(0);
      // Nothing is said after the end: the session that would hear it is gone.
      expect(events.slice(seen)).toEqual([]);
    },
    TEST_MS,
  );

  it(
    "leaves no QEMU, debugger socket, descriptor or timer behind when disposed while step mode holds the VM before a call",
    async () => {
      const before = held();
      const pool = new VmPool(1, 1);
      const { engine, events } = engineOn(pool);
      engine.stepping.setStepMode(true);
      const insmod = engine.insmod("server");
      await until(
        events,
        (e) =>
          (e.type === "step.waiting" && e.module === "server") ||
          (e.type === "engine" && e.status === "stopped"),
        BOOT_MS,
      );
      expect(events.find((e) => e.type === "step.waiting")).toMatchObject({
        step: "sock_create_kern",
        vmPaused: true,
      });
      expect(held().qemus.length).toBe(1);
      engine.dispose();
      await expect(insmod).resolves.toBeUndefined();
      await expect.poll(held, { timeout: 10_000, interval: 50 }).toEqual(before);
      expect(pool.active).toBe(0);
    },
    TEST_MS,
  );
});
