import { fileURLToPath } from "node:url";
import type { Locator } from "@playwright/test";
import { type AppProcess, spawnApp } from "../test/helpers/appProcess.ts";
import { expect, moduleState, printkPane, test } from "./fixtures.ts";

/** The client build the e2e web server made (playwright.config.ts builds it per E2E_PORT). */
const STATIC_DIR = fileURLToPath(new URL(`../dist/e2e-${process.env.E2E_PORT ?? 4319}`, import.meta.url));
/** Small, so the test waits little; long enough for the lesson to finish inside it on a loaded machine. */
const DRAIN_SECONDS = 8;

let app: AppProcess | undefined;
test.afterEach(async () => {
  // SIGTERM drains (and this app is the test's own): a test that failed half-way must not leave it.
  if (app && app.child.exitCode === null && app.child.signalCode === null) app.child.kill("SIGKILL");
  app = undefined;
});

/** The seconds the drain notice says are left, as the learner reads them. */
async function secondsLeft(alert: Locator): Promise<number> {
  const text = (await alert.textContent()) ?? "";
  const match = /stays open for (\d+) s more/.exec(text);
  return match ? Number(match[1]) : Number.NaN;
}

// The app under test is this test's own, never the shared e2e server: SIGTERM ends it.
test("a lesson started before SIGTERM finishes within DRAIN_SECONDS while /readyz says not ready, and the page counts the time left down", async ({
  page,
  request,
}) => {
  test.setTimeout(120_000);
  app = await spawnApp({ STATIC_DIR, DRAIN_SECONDS: String(DRAIN_SECONDS) }, { timeoutMs: 60_000 });
  await page.goto(`${app.url}/?pace=instant`);
  await expect(page.getByText(/connected · your lab uses port \d+/)).toBeVisible();
  expect((await request.get(`${app.url}/readyz`)).status()).toBe(200);
  await page.getByRole("button", { name: /Start server/ }).click();
  await expect(moduleState(page, "server")).toHaveText("running — blocked in accept");

  const signalled = Date.now();
  app.child.kill("SIGTERM");
  const alert = page.getByRole("alert");
  await expect(alert).toContainText("This lab server is being replaced: your lab stays open for");
  const first = await secondsLeft(alert);
  expect(first).toBeGreaterThan(0);
  expect(first).toBeLessThanOrEqual(DRAIN_SECONDS);
  const ready = await request.get(`${app.url}/readyz`);
  expect(ready.status()).toBe(503);
  expect(await ready.json()).toEqual({ ready: false, reason: "draining" });

  // The lesson goes on under the notice: the client connects and sends, the server receives.
  await page.getByRole("button", { name: /Start client/ }).click();
  await expect(moduleState(page, "client")).toHaveText("loaded");
  await expect(printkPane(page)).toContainText("client:send ok!");
  await expect(moduleState(page, "server")).toHaveText("loaded");
  expect((await request.get(`${app.url}/readyz`)).status()).toBe(503);
  // Between the server's renewals the page counts down by itself.
  await expect.poll(() => secondsLeft(alert), { timeout: 5_000 }).toBeLessThan(first);

  // At the deadline the lab is closed (1001), the page says so, and the process exits cleanly.
  await expect(alert).toContainText("The lab server is shutting down", {
    timeout: (DRAIN_SECONDS + 10) * 1000,
  });
  await expect(page.getByText(/disconnected/)).toBeVisible();
  const closedAfter = (Date.now() - signalled) / 1000;
  expect(closedAfter).toBeGreaterThan(DRAIN_SECONDS - 2);
  expect(closedAfter).toBeLessThan(DRAIN_SECONDS + 10);
  expect(await app.exited).toBe(0);
});
