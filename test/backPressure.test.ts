import { readFileSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { type RunningApp, startApp } from "../server/app.ts";
import { type AppProcess, spawnApp } from "./helpers/appProcess.ts";
import { LabClient } from "./helpers/labClient.ts";
import { StalledClient } from "./helpers/stalledClient.ts";

let app: RunningApp | undefined;
let running: AppProcess | undefined;
const stalled: StalledClient[] = [];
const labs: LabClient[] = [];

afterEach(async () => {
  for (const client of stalled.splice(0)) client.destroy();
  await Promise.all(labs.splice(0).map((lab) => lab.close()));
  await app?.close();
  app = undefined;
  if (running && running.child.exitCode === null) running.child.kill("SIGKILL");
  running = undefined;
});

const FLOOD = { burst: 1_000_000, perSecond: 1_000_000 };
/** The cheapest command with a reply: an unknown one (answered with an error naming it). */
const UNKNOWN = JSON.stringify({ type: "x".repeat(100) });

/**
 * Sends commands (and unsolicited pongs) in bursts until the server closes the connection. About
 * 5 MB of replies go unread before the drop: ~4 MB fill the kernel's socket buffers on loopback,
 * then 1 MiB waits in the server.
 */
async function flood(client: StalledClient): Promise<void> {
  while (!client.isClosed) {
    for (let i = 0; i < 100; i++) client.send(UNKNOWN);
    client.pong();
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

async function lesson(lab: LabClient): Promise<void> {
  const from = lab.events.length;
  const after = (match: (e: LabClient["events"][number]) => boolean) =>
    lab.waitFor((e) => lab.events.indexOf(e) >= from && match(e), 20_000);
  lab.send({ type: "module.load", module: "server" });
  await after((e) => e.type === "step" && e.step === "accept" && e.phase === "enter");
  lab.send({ type: "module.load", module: "client" });
  await after((e) => e.type === "module.state" && e.module === "client" && e.state === "live");
  await after((e) => e.type === "module.state" && e.module === "server" && e.state === "live");
  lab.send({ type: "module.unload", module: "client" });
  await after((e) => e.type === "module.state" && e.module === "client" && e.state === "unloaded");
  lab.send({ type: "module.unload", module: "server" });
  await after((e) => e.type === "module.state" && e.module === "server" && e.state === "unloaded");
}

function rssMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kib = Number(/^VmRSS:\s+(\d+) kB/m.exec(status)?.[1]);
  return kib / 1024;
}

describe("back-pressure on every WebSocket", () => {
  it("drops a session whose page stops reading once 1 MiB waits for it, and the last frames it left unread say why, then close with 1008", async () => {
    app = await startApp({ port: 0, labPort: 0, rateLimit: FLOOD, heartbeatMs: 1000 });
    const client = await StalledClient.open(app.url);
    stalled.push(client);
    const flooding = flood(client);
    // The pongs keep the heartbeat content: only back-pressure can end this session. A beat of 1 s,
    // not 100 ms: on a loaded machine the server reads the flood (and the pongs in it) late.
    await expect.poll(() => app!.sessions.size, { timeout: 30_000 }).toBe(0);
    const { texts, closeCode, closeReason } = await client.drain();
    await flooding;
    const last = JSON.parse(texts.at(-1)!);
    expect(last).toMatchObject({
      type: "error",
      code: "not-reading",
      message: expect.stringContaining("stopped reading"),
    });
    expect(last.message).toContain("1 MiB");
    expect({ closeCode, closeReason }).toEqual({ closeCode: 1008, closeReason: "not reading" });
  }, 60_000);

  it("keeps a page that reads what it asked for, however fast it asks", async () => {
    app = await startApp({ port: 0, labPort: 0, rateLimit: FLOOD, sendBufferLimit: 64 * 1024 });
    const lab = await LabClient.open(app.url);
    labs.push(lab);
    for (let round = 0; round < 20; round++) {
      for (let i = 0; i < 50; i++) lab.send({ type: "stepMode.set", enabled: false });
      await expect.poll(() => lab.of("settings").length).toBe((round + 1) * 50);
    }
    expect(lab.of("error")).toEqual([]);
    expect(app.sessions.size).toBe(1);
  });

  it("holds the server's RSS within 128 MiB of its baseline while 5 pages that answer pings but never read flood it, drops each, and a bystander is answered throughout and runs a lesson after", async () => {
    running = await spawnApp({
      RATE_LIMIT_BURST: String(FLOOD.burst),
      RATE_LIMIT_PER_SECOND: String(FLOOD.perSecond),
      // Each stalled page pongs every few ms, well within it: only back-pressure drops them.
      HEARTBEAT_MS: "5000",
      MAX_SESSIONS_PER_ADDRESS: "32",
    });
    const pid = running.child.pid!;
    const bystander = await LabClient.open(running.url);
    labs.push(bystander);
    await lesson(bystander);
    const baseline = rssMiB(pid);
    let peak = baseline;
    const sampler = setInterval(() => (peak = Math.max(peak, rssMiB(pid))), 50);
    try {
      // The flood comes from another loopback address than the bystander's.
      const clients = await Promise.all(
        Array.from({ length: 5 }, () => StalledClient.open(running!.url, "127.0.0.2")),
      );
      stalled.push(...clients);
      const floods = clients.map(flood);
      // The bystander keeps asking while the flood lasts, and every answer comes.
      let answered = 0;
      while (clients.some((c) => !c.isClosed)) {
        bystander.send({ type: "stepMode.set", enabled: false });
        await bystander.waitFor(() => bystander.of("settings").length > answered, 20_000);
        answered++;
      }
      await Promise.all(floods);
      expect(answered).toBeGreaterThanOrEqual(1);
      await lesson(bystander);
      expect(await fetch(`${running.url}/healthz`).then((r) => r.json())).toMatchObject({ sessions: 1 });
    } finally {
      clearInterval(sampler);
    }
    console.log(`RSS baseline ${baseline.toFixed(1)} MiB, peak ${peak.toFixed(1)} MiB`);
    // 5 × 1 MiB of queues, plus V8's young generation (up to 2 × 16 MiB) churning through 5 MB of replies each.
    expect(peak - baseline).toBeLessThan(128);
    expect(bystander.of("error")).toEqual([]);
  }, 90_000);
});
