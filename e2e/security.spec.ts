import { fileURLToPath } from "node:url";
import type { Browser, Page } from "@playwright/test";
import { type AppProcess, spawnApp } from "../test/helpers/appProcess.ts";
import { expect, moduleState, openLab, printkPane, test } from "./fixtures.ts";

/** The client build the e2e web server made (playwright.config.ts builds it per E2E_PORT). */
const STATIC_DIR = fileURLToPath(new URL(`../dist/e2e-${process.env.E2E_PORT ?? 4319}`, import.meta.url));

/** Records every Content-Security-Policy violation the page reports, from its first script on. */
async function watchCspViolations(page: Page): Promise<() => Promise<string[]>> {
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { cspViolations: string[] }).cspViolations = seen;
    document.addEventListener("securitypolicyviolation", (e) =>
      seen.push(`${e.violatedDirective} ${e.blockedURI}`),
    );
  });
  return () => page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations);
}

test("the built app runs the whole lab under its Content-Security-Policy without one violation", async ({
  page,
}) => {
  const violations = await watchCspViolations(page);
  const response = await page.goto("/");
  expect(response?.headers()["content-security-policy"]).toContain("script-src 'self'");
  expect(response?.headers()["x-powered-by"]).toBeUndefined();
  await openLab(page);
  await page.getByRole("button", { name: /Start server/ }).click();
  await expect(moduleState(page, "server")).toHaveText("running — blocked in accept");
  await page.getByRole("button", { name: /Start client/ }).click();
  await expect(moduleState(page, "client")).toHaveText("loaded");
  await expect(printkPane(page)).toContainText("client:send ok!");
  expect(await violations()).toEqual([]);
});

test.describe("an instance shared by a classroom", () => {
  let app: AppProcess | undefined;
  const problems: string[] = [];

  /** A tab of its own; like the fixture's page, any console error it logs fails the test. */
  async function newTab(browser: Browser): Promise<Page> {
    const tab = await browser.newPage();
    tab.on("console", (message) => {
      if (message.type() === "error") problems.push(`console.error: ${message.text()}`);
    });
    tab.on("pageerror", (error) => problems.push(`pageerror: ${error.message}`));
    return tab;
  }

  test.afterEach(async ({ browser }) => {
    // Tabs first: a tab still loading from a killed app would log a failed request of its own.
    await Promise.all(
      browser
        .contexts()
        .flatMap((c) => c.pages())
        .map((p) => p.close()),
    );
    stop(app);
    app = undefined;
    expect(problems.splice(0)).toEqual([]);
  });

  function stop(running: AppProcess | undefined): void {
    if (running && running.child.exitCode === null) running.child.kill("SIGKILL");
  }

  test.describe("with two seats and 0x8888 preferred", () => {
    // One app for the tests whose settings agree: spawning one costs seconds. Each test starts
    // once the sessions of the one before have closed, so it sees the app as a fresh one.
    let shared: AppProcess;
    test.beforeAll(async () => {
      // No module is loaded, so nothing binds 0x8888: the app only hands the port out.
      shared = await spawnApp({ STATIC_DIR, LAB_PORT: String(0x8888), MAX_SESSIONS: "2" });
    });
    test.afterAll(() => stop(shared));
    test.beforeEach(async ({ request }) => {
      await expect
        .poll(
          async () =>
            ((await (await request.get(`${shared.url}/healthz`)).json()) as { sessions: number }).sessions,
        )
        .toBe(0);
    });

    test("a second tab is told its lab uses another port because 0x8888 is in use", async ({ browser }) => {
      const first = await newTab(browser);
      const second = await newTab(browser);
      await first.goto(shared.url);
      await expect(first.getByText("connected · your lab uses port 34952", { exact: true })).toBeVisible();
      await second.goto(shared.url);
      await expect(
        second.getByText(/^connected · your lab uses port (\d+); 0x8888 is in use$/),
      ).toBeVisible();
    });

    test("a learner over MAX_SESSIONS sees that the server is full", async ({ browser }) => {
      const seated = [await newTab(browser), await newTab(browser)];
      for (const tab of seated) {
        await tab.goto(shared.url);
        await expect(tab.getByText(/connected · your lab uses port \d+/)).toBeVisible();
      }
      const late = await newTab(browser);
      await late.goto(shared.url);
      await expect(late.getByRole("alert")).toContainText(
        "This lab server is full: it holds 2 labs at once. Try again in a few minutes.",
      );
      await expect(late.getByText(/disconnected/)).toBeVisible();
      for (const tab of seated)
        await expect(tab.getByText(/connected · your lab uses port \d+/)).toBeVisible();
    });
  });

  // These two end their app's sessions, or the app itself: each starts an app of its own.
  test("a learner is told when the lab closed after a time without a command", async ({ browser }) => {
    app = await spawnApp({ STATIC_DIR, IDLE_TIMEOUT_MS: "1000" });
    const idle = await newTab(browser);
    await idle.goto(app.url);
    await expect(idle.getByRole("alert")).toContainText(
      "without a command. Reload the page to start a new lab.",
    );
    await expect(idle.getByText(/disconnected/)).toBeVisible();
  });

  test("a learner is told when the server shuts down under a running lab", async ({ browser }) => {
    app = await spawnApp({ STATIC_DIR });
    const busy = await newTab(browser);
    await busy.goto(app.url);
    await busy.getByRole("button", { name: /Start server/ }).click();
    await expect(moduleState(busy, "server")).toHaveText("running — blocked in accept");
    app.child.kill("SIGTERM");
    await expect(busy.getByRole("alert")).toContainText("The lab server is shutting down");
    await expect(busy.getByText(/disconnected/)).toBeVisible();
    expect(await app.exited).toBe(0);
  });
});
