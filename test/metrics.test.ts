import { afterEach, describe, expect, it } from "vitest";
import { type RunningApp, startApp } from "../server/app.ts";
import { feedGauge } from "../server/transport/metrics.ts";
import { LabClient } from "./helpers/labClient.ts";

let app: RunningApp | undefined;
const labs: LabClient[] = [];

afterEach(async () => {
  for (const lab of labs.splice(0)) await lab.close();
  await app?.close();
  app = undefined;
  feedGauge("buildsQueued", () => 0);
});

const TOKEN = "t".repeat(40);

async function scrape(url: string, token?: string): Promise<{ status: number; text: string }> {
  const response = await fetch(`${url}/metrics`, {
    headers: token ? { Authorization: `Bearer ${token}` } : {},
  });
  return { status: response.status, text: await response.text() };
}

/** One sample's value from Prometheus text: `name{labels} value`. */
function sample(text: string, series: string): number | undefined {
  const line = text.split("\n").find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe("/metrics for an operator", () => {
  it("serves sessions, labs per engine, VMs, builds queued, step latency and drops by reason in Prometheus text, to the token holder only", async () => {
    app = await startApp({ port: 0, labPort: 0, metricsToken: TOKEN, maxSessionsPerLearner: 1 });
    expect((await scrape(app.url)).status).toBe(401);
    expect((await scrape(app.url, "x".repeat(40))).status).toBe(401);

    const lab = await LabClient.open(app.url);
    labs.push(lab);
    lab.send({ type: "module.load", module: "server" });
    await lab.waitForStep("server", "accept", "enter");
    // A second lab from the same learner is past its share of 1: a drop, by reason.
    const refused = await LabClient.open(app.url).catch(() => "refused");
    expect(refused).toBe("refused");
    feedGauge("buildsQueued", () => 3);

    const { status, text } = await scrape(app.url, TOKEN);
    expect(status).toBe(200);
    expect(sample(text, "ksl_sessions")).toBe(1);
    expect(sample(text, 'ksl_labs{engine="node"}')).toBe(1);
    expect(sample(text, 'ksl_labs{engine="real-kernel"}')).toBe(0);
    expect(sample(text, "ksl_vms_in_use")).toBe(0);
    expect(sample(text, "ksl_vms_limit")).toBeGreaterThanOrEqual(1);
    expect(sample(text, "ksl_vms_queued")).toBe(0);
    expect(sample(text, "ksl_builds_queued")).toBe(3);
    expect(sample(text, 'ksl_step_latency_seconds_count{engine="node"}')).toBe(1);
    expect(sample(text, 'ksl_dropped_connections_total{reason="learner-full"}')).toBe(1);
    expect(sample(text, 'ksl_dropped_connections_total{reason="idle"}')).toBe(0);
  });

  it("is not served at all without METRICS_TOKEN", async () => {
    app = await startApp({ port: 0, labPort: 0 });
    expect((await scrape(app.url, TOKEN)).status).toBe(404);
  });
});

describe("/readyz", () => {
  it("says not ready, with the reason, while no session slot is free, and ready again once one is", async () => {
    app = await startApp({ port: 0, labPort: 0, maxSessions: 1 });
    const readyz = async () => {
      const response = await fetch(`${app!.url}/readyz`);
      return { status: response.status, body: await response.json() };
    };
    expect(await readyz()).toEqual({ status: 200, body: { ready: true } });
    const lab = await LabClient.open(app.url);
    expect(await readyz()).toEqual({ status: 503, body: { ready: false, reason: "no session slot free" } });
    await lab.close();
    await expect.poll(async () => (await readyz()).status).toBe(200);
  });
});
