import { afterEach, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { labSocketUrl } from "./helpers/labSocketUrl.ts";
import type { ServerEvent } from "../shared/protocol/messages.ts";
import { type AppProcess, spawnApp } from "./helpers/appProcess.ts";
import { LabClient } from "./helpers/labClient.ts";

let running: AppProcess | undefined;
const labs: LabClient[] = [];

afterEach(async () => {
  for (const lab of labs.splice(0)) lab.ws.terminate();
  if (running && running.child.exitCode === null) running.child.kill("SIGKILL");
  running = undefined;
});

function closeOf(ws: WebSocket): Promise<{ code: number; reason: string }> {
  return new Promise((resolve) =>
    ws.once("close", (code, reason) => resolve({ code, reason: String(reason) })),
  );
}

async function status(url: string): Promise<{ status: number; body: unknown }> {
  const response = await fetch(url);
  return { status: response.status, body: await response.json() };
}

/** A lab opened while the server drains: what it was told, and how it was closed. */
async function refusedLab(
  url: string,
): Promise<{ events: ServerEvent[]; close: { code: number; reason: string } }> {
  const ws = new WebSocket(labSocketUrl(url));
  ws.on("error", () => {});
  const events: ServerEvent[] = [];
  ws.on("message", (data) => events.push(JSON.parse(String(data))));
  return { events, close: await closeOf(ws) };
}

const DRAIN_SECONDS = 6;
/** Starting the app is not under test: a loaded machine may take its time. */
const START_TIMEOUT_MS = 60_000;

describe("draining for an orchestrator", () => {
  it("on SIGTERM during a lesson turns /readyz not ready at once, refuses new labs with the reason, tells the running lab its time left, lets it finish and closes it with 1001 within DRAIN_SECONDS", async () => {
    running = await spawnApp({ DRAIN_SECONDS: String(DRAIN_SECONDS) }, { timeoutMs: START_TIMEOUT_MS });
    const { url, child, exited } = running;
    expect(await status(`${url}/readyz`)).toEqual({ status: 200, body: { ready: true } });
    const lab = await LabClient.open(url);
    labs.push(lab);
    lab.send({ type: "module.load", module: "server" });
    await lab.waitForStep("server", "accept", "enter");
    const closed = closeOf(lab.ws);

    const signalled = performance.now();
    child.kill("SIGTERM");
    const notice = await lab.waitFor((e) => e.type === "server.draining");
    expect(notice).toMatchObject({ secondsLeft: DRAIN_SECONDS, message: expect.stringContaining("6 s") });
    expect(await status(`${url}/readyz`)).toEqual({
      status: 503,
      body: { ready: false, reason: "draining" },
    });
    expect((await status(`${url}/healthz`)).status).toBe(200);
    const late = await refusedLab(url);
    expect(late.close).toEqual({ code: 1013, reason: "server draining" });
    expect(late.events).toEqual([
      { type: "error", code: "shutdown", message: expect.stringMatching(/takes no new labs/) },
    ]);

    // The lesson goes on: the client connects and sends, the server receives and both go live.
    lab.send({ type: "module.load", module: "client" });
    await lab.waitForState("client", "live");
    await lab.waitForState("server", "live");
    expect(lab.findStep("server", "kernel_recvmsg", "exit")).toMatchObject({ result: 1024 });
    expect((await status(`${url}/readyz`)).status).toBe(503);

    expect(await closed).toEqual({ code: 1001, reason: "server shutting down" });
    const after = (performance.now() - signalled) / 1000;
    expect(after).toBeGreaterThan(DRAIN_SECONDS - 1);
    expect(after).toBeLessThan(DRAIN_SECONDS + 3);
    expect(await exited).toBe(0);
  }, 90_000);

  it("exits as soon as the last running lab has ended, without waiting out DRAIN_SECONDS", async () => {
    running = await spawnApp({ DRAIN_SECONDS: "600" }, { timeoutMs: START_TIMEOUT_MS });
    const lab = await LabClient.open(running.url);
    labs.push(lab);
    running.child.kill("SIGTERM");
    await lab.waitFor((e) => e.type === "server.draining");
    const signalled = performance.now();
    await lab.close();
    expect(await running.exited).toBe(0);
    expect(performance.now() - signalled).toBeLessThan(5000);
  }, 90_000);
});
