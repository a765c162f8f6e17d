import { afterEach, describe, expect, it, vi } from "vitest";
import WebSocket from "ws";
import { labSocketUrl } from "./helpers/labSocketUrl.ts";
import type { ServerEvent } from "../shared/protocol/messages.ts";
import { type RunningApp, startApp } from "../server/app.ts";
import { idleReason, VmIdleWatch } from "../server/realKernel/vmIdle.ts";
import { VmPool, VmQuotaExceeded } from "../server/realKernel/vmPool.ts";
import { LabClient } from "./helpers/labClient.ts";

let app: RunningApp | undefined;
const sockets: WebSocket[] = [];

afterEach(async () => {
  for (const ws of sockets.splice(0)) ws.terminate();
  await app?.close();
  app = undefined;
  vi.useRealTimers();
});

/** A lab WebSocket from `localAddress`, with every event it gets and how it closed. */
function openFrom(url: string, localAddress: string) {
  const ws = new WebSocket(labSocketUrl(url), { localAddress });
  sockets.push(ws);
  ws.on("error", () => {});
  const events: ServerEvent[] = [];
  ws.on("message", (data) => events.push(JSON.parse(String(data))));
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.once("close", (code, reason) => resolve({ code, reason: String(reason) })),
  );
  return { ws, events, closed };
}

describe("fair shares per client", () => {
  it("tells the session past MAX_SESSIONS_PER_ADDRESS why and closes it with 1013, while another address is still admitted", async () => {
    app = await startApp({ port: 0, labPort: 0, maxSessionsPerAddress: 3 });
    const url = app.url;
    const seated = [openFrom(url, "127.0.0.2"), openFrom(url, "127.0.0.2"), openFrom(url, "127.0.0.2")];
    await expect.poll(() => seated.every((s) => s.events.some((e) => e.type === "hello"))).toBe(true);
    const extra = openFrom(url, "127.0.0.2");
    expect(await extra.closed).toEqual({ code: 1013, reason: "too many labs from this address" });
    expect(extra.events).toEqual([
      {
        type: "error",
        code: "address-full",
        message: expect.stringMatching(/already holds 3 labs.*Close a lab/),
      },
    ]);
    const neighbour = await LabClient.open(url);
    expect(neighbour.of("hello")).toHaveLength(1);
    await neighbour.close();

    seated[0]!.ws.close();
    await seated[0]!.closed;
    const again = openFrom(url, "127.0.0.2");
    await expect.poll(() => again.events.some((e) => e.type === "hello")).toBe(true);
  });

  it("gives one address one real-kernel VM: a second request waits for the first to end without holding anyone up, a third is refused with the reason", async () => {
    const pool = new VmPool(2, 1);
    const first = await pool.acquire(() => {}, "10.0.0.5").granted;
    // A free slot, yet the second from the same address waits for its own VM to end.
    let secondGranted = false;
    const second = pool.acquire(() => {}, "10.0.0.5");
    void second.granted.then(() => (secondGranted = true));
    const third = pool.acquire(() => {}, "10.0.0.5");
    await expect(third.granted).rejects.toThrow(VmQuotaExceeded);
    await expect(third.granted).rejects.toThrow(
      /already has a real-kernel VM.*REAL_KERNEL_VMS_PER_ADDRESS=1/,
    );
    // Another address takes the free slot at once, though it asked later.
    await pool.acquire(() => {}, "10.0.0.6").granted;
    expect(pool.active).toBe(2);
    expect(secondGranted).toBe(false);
    // A third address queues behind the waiting one, and is served first when a slot frees.
    let otherGranted = false;
    const positions: number[] = [];
    const other = pool.acquire((p) => positions.push(p), "10.0.0.7");
    void other.granted.then(() => (otherGranted = true));
    expect(positions).toEqual([2]);
    first.release();
    await expect.poll(() => secondGranted).toBe(true);
    expect(otherGranted).toBe(false);
    expect(pool.active).toBe(2);
  });

  it("tells a queued learner its position and, once VMs have ended, an estimate from their durations", async () => {
    let now = 0;
    const pool = new VmPool(1, 1, () => now);
    const a = await pool.acquire(() => {}, "a").granted;
    const seen: Array<[number, number | undefined]> = [];
    const b = pool.acquire((position, estimate) => seen.push([position, estimate]), "b");
    expect(seen).toEqual([[1, undefined]]);
    now = 90_000;
    a.release();
    const leaseB = await b.granted;
    const seenC: Array<[number, number | undefined]> = [];
    pool.acquire((position, estimate) => seenC.push([position, estimate]), "c");
    const seenD: Array<[number, number | undefined]> = [];
    pool.acquire((position, estimate) => seenD.push([position, estimate]), "d");
    expect(seenC).toEqual([[1, 90_000]]);
    expect(seenD).toEqual([[2, 180_000]]);
    now = 120_000;
    leaseB.release();
    // c got the slot; d moves up, and the mean of 90 s and 30 s is 60 s.
    expect(seenD.at(-1)).toEqual([1, 60_000]);
  });

  it("powers off a VM with nothing loaded once REAL_KERNEL_IDLE_MS passes without a command, and keeps one with a module loaded", () => {
    vi.useFakeTimers();
    const idle = vi.fn();
    const watch = new VmIdleWatch(120_000, idle);
    watch.settle(false);
    vi.advanceTimersByTime(119_000);
    // A command re-arms the wait.
    watch.stop();
    watch.settle(false);
    vi.advanceTimersByTime(119_000);
    expect(idle).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1_000);
    expect(idle).toHaveBeenCalledTimes(1);

    const loaded = vi.fn();
    const busy = new VmIdleWatch(120_000, loaded);
    busy.settle(true);
    vi.advanceTimersByTime(600_000);
    expect(loaded).not.toHaveBeenCalled();
    expect(busy.armed).toBe(false);
    expect(idleReason(120_000)).toMatch(
      /^powered off after 2 min with nothing loaded and no command; its slot went to the next learner/,
    );
  });
});
