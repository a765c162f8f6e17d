import { readdirSync, readlinkSync } from "node:fs";
import net from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { type AppProcess, spawnApp } from "./helpers/appProcess.ts";
import { connectAndCloseFlood } from "./helpers/connectFlood.ts";
import { LabClient } from "./helpers/labClient.ts";
import { labPortOf } from "./helpers/labApp.ts";

let running: AppProcess | undefined;
const clients: LabClient[] = [];
const sockets: net.Socket[] = [];

afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy();
  await Promise.all(clients.splice(0).map((c) => c.close()));
  if (running && running.child.exitCode === null) running.child.kill("SIGKILL");
  running = undefined;
});

const FLOOD_MS = 12_000;
/**
 * What the flood may add to the app's descriptors: the victim's accept queue (backlog 10, plus
 * one) and the bystander's lab, WebSocket and /healthz probes, with room for sockets closing.
 */
const FD_BOUND = 48;

/**
 * The app's socket descriptors. Sockets are what a flood adds; the app's other descriptors come and
 * go on their own (its background guest build, which may wait for another process's cache lock and
 * start mid-test, holds a lock file and its children's pipes), so counting them measured the build.
 */
function appFds(app: AppProcess): number {
  const dir = `/proc/${app.child.pid}/fd`;
  let sockets = 0;
  for (const fd of readdirSync(dir)) {
    try {
      if (readlinkSync(`${dir}/${fd}`).startsWith("socket:")) sockets++;
    } catch {
      // Closed between the listing and the read: not open any more.
    }
  }
  return sockets;
}

async function open(app: AppProcess): Promise<LabClient> {
  const client = await LabClient.open(app.url);
  clients.push(client);
  return client;
}

/** A new learner's whole lesson (published listing): the server prints what it received. */
async function lesson(app: AppProcess): Promise<number> {
  const started = performance.now();
  const lab = await open(app);
  lab.send({ type: "module.load", module: "server" });
  await lab.waitForStep("server", "accept", "enter", 10_000);
  lab.send({ type: "module.load", module: "client" });
  await lab.waitForState("server", "live");
  expect(lab.findStep("server", "kernel_recvmsg", "exit")?.result).toBe(1024);
  await lab.close();
  return performance.now() - started;
}

describe("a lab port flooded from outside", () => {
  it(
    "holds a published server's waiting connections to its backlog while connect-and-close floods its port, keeping the app's descriptors bounded and /healthz and a new learner's lesson working, and Reset frees them all",
    async () => {
      running = await spawnApp();
      const app = running;
      const victim = await open(app);
      victim.send({ type: "module.load", module: "server" });
      await victim.waitForStep("server", "accept", "enter");
      const labPort = labPortOf(victim);
      // One connection that sends nothing: the published server accepts it and blocks in recvmsg.
      const blocker = net.connect({ host: "127.0.0.1", port: labPort });
      blocker.on("error", () => {});
      sockets.push(blocker);
      await victim.waitForStep("server", "kernel_recvmsg", "enter");
      const baseline = appFds(app);

      let peak = baseline;
      const problems: string[] = [];
      const lessonTimes: number[] = [];
      const until = performance.now() + FLOOD_MS;
      const flooding = connectAndCloseFlood(labPort, until);
      const watching = (async () => {
        while (performance.now() < until) {
          peak = Math.max(peak, appFds(app));
          const health = await fetch(`${app.url}/healthz`, { signal: AbortSignal.timeout(2000) }).catch(
            (err: Error) => err,
          );
          if (health instanceof Error || health.status !== 200) problems.push(`/healthz: ${String(health)}`);
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      })();
      const learning = (async () => {
        while (performance.now() < until - 2000) lessonTimes.push(await lesson(app));
      })();
      const [flood] = await Promise.all([flooding, watching, learning]);
      peak = Math.max(peak, appFds(app));

      console.log(
        `lab-port flood: ${flood.attempts} connect-and-closes in ${FLOOD_MS} ms (${flood.connected} connected); ` +
          `app sockets ${baseline} → peak ${peak} (bound ${baseline} + ${FD_BOUND}); ` +
          `bystander lessons ${lessonTimes.length}, slowest ${Math.round(Math.max(...lessonTimes))} ms`,
      );
      expect(problems).toEqual([]);
      expect(flood.attempts).toBeGreaterThan(1000);
      expect(lessonTimes.length).toBeGreaterThan(0);
      expect(peak - baseline).toBeLessThanOrEqual(FD_BOUND);
      // The victim's lab learnt that its queue filled; its server still waits for the first peer's bytes.
      expect(victim.of("error").some((e) => e.code === "accept-queue-full")).toBe(true);
      expect(victim.findStep("server", "kernel_recvmsg", "exit")).toBeUndefined();

      // Reset ends the lab stuck in recvmsg: its listener, the blocked connection and the queue close
      // (the baseline holds the first two; the queue filled after it). The victim's session stays
      // open, so only Reset can free them; the wait is for the flood's other sockets to go first
      // (/healthz's keep-alive connections close after Node's 5 s, the bystanders' labs end as
      // their WebSockets close), which took longer than 5 s on a loaded clean-clone run.
      victim.send({ type: "lab.reset" });
      await victim.waitFor((e) => e.type === "printk" && e.text.startsWith("lab restarted"));
      await expect
        .poll(() => appFds(app), { timeout: 20_000, interval: 50 })
        .toBeLessThanOrEqual(baseline - 2);
    },
    FLOOD_MS + 45_000,
  );
});
