import type { Page } from "@playwright/test";
import { detectRealKernel } from "../server/realKernel/availability.ts";
import { C_CALL_MARKERS, type ModuleName, type StepId, type Variant } from "../shared/protocol/steps.ts";
import {
  expect,
  listing,
  moduleState,
  openLab,
  scrollTimelineToStart,
  showDockTab,
  test,
} from "./fixtures.ts";

const availability = detectRealKernel();

// A boot takes 2–20 s of software emulation depending on the machine's load.
const BOOT_MS = 90_000;
const RUN_MS = 45_000;

/**
 * Notes every line that gets aria-current="step", in order, as "<listing> <line>": the page's
 * own record of what it lit, taken by a MutationObserver so no lit moment between two polls is lost.
 */
async function recordLitLines(page: Page): Promise<void> {
  await page.evaluate(() => {
    const lit: string[] = [];
    (window as unknown as { litLines: string[] }).litLines = lit;
    new MutationObserver((records) => {
      for (const record of records) {
        const line = record.target as HTMLElement;
        if (line.getAttribute("aria-current") !== "step") continue;
        const region = line.closest("section.listing")?.getAttribute("aria-label");
        lit.push(`${region} ${line.dataset.line}`);
      }
    }).observe(document.body, { subtree: true, attributes: true, attributeFilter: ["aria-current"] });
  });
}

const litLines = (page: Page) => page.evaluate(() => (window as unknown as { litLines: string[] }).litLines);

/** The listing lines of `steps`' calls, as recordLitLines names them. */
async function callLines(page: Page, variant: Variant, module: ModuleName, steps: StepId[]) {
  const file = `${module}.c`;
  const lines: string[] = [];
  for (const step of steps) {
    const marker = C_CALL_MARKERS[variant][module][step] as string;
    const row = listing(page, file).locator("[data-line]").filter({ hasText: marker }).first();
    lines.push(`${file} ${await row.getAttribute("data-line")}`);
  }
  return lines;
}

/** Whether `wanted` occur in `seen` in this order (other lines may come between). */
function inOrder(seen: readonly string[], wanted: readonly string[]): boolean {
  let at = 0;
  for (const line of seen) if (line === wanted[at]) at++;
  return at === wanted.length;
}

async function realKernel(page: Page, listingName: RegExp): Promise<void> {
  // The lab's own pace: each call is shown for a beat, as the Node lab's are.
  await openLab(page, "?pace=normal");
  await page.getByRole("button", { name: listingName }).click();
  await page.getByRole("button", { name: /Real kernel/ }).click();
  await expect(page.getByRole("button", { name: /Real kernel/ })).toHaveAttribute("aria-pressed", "true");
  await expect(page.getByRole("button", { name: "Step mode" })).toHaveAttribute("aria-pressed", "false");
  await recordLitLines(page);
}

test.describe("Every real-kernel run is traced, without step mode", () => {
  test.skip(!availability.ok, "the real-kernel engine is not installed");
  test.setTimeout(240_000);

  test("the fixed pair lights each call's line in order, with the value it returned", async ({ page }) => {
    await realKernel(page, /Fixed/);
    await page.getByRole("button", { name: /Start server/ }).click();
    await expect(moduleState(page, "server")).toHaveText("loaded", { timeout: BOOT_MS });
    await page.getByRole("button", { name: /Start client/ }).click();
    await expect(moduleState(page, "client")).toHaveText("loaded", { timeout: RUN_MS });
    const server = await callLines(page, "fixed", "server", [
      "sock_create_kern",
      "bind",
      "listen",
      "kthread_run",
      "accept",
      "kernel_recvmsg",
    ]);
    const client = await callLines(page, "fixed", "client", [
      "sock_create_kern",
      "connect",
      "kernel_sendmsg",
    ]);
    await expect.poll(async () => inOrder(await litLines(page), server), { timeout: RUN_MS }).toBe(true);
    expect(inOrder(await litLines(page), client)).toBe(true);
    await showDockTab(page, "Timeline");
    await expect(page.getByText("server: kernel_recvmsg returned 1024").first()).toBeVisible();
    await expect(page.getByText("client: kernel_sendmsg returned 1024").first()).toBeAttached();

    // rmmod: the exit function's calls light too, and the unloaded module keeps no lit line.
    await page.getByRole("button", { name: /Stop client/ }).click();
    await expect(moduleState(page, "client")).toHaveText("not loaded", { timeout: RUN_MS });
    await expect(listing(page, "client.c").locator('[aria-current="step"]')).toHaveCount(0);
    await page.getByRole("button", { name: /Stop server/ }).click();
    await expect(moduleState(page, "server")).toHaveText("not loaded", { timeout: RUN_MS });
    // Its exit function's calls were traced too: their returns are on the timeline.
    await expect(page.getByText("server: kernel_sock_shutdown returned 0").first()).toBeAttached();
    await expect(listing(page, "server.c").locator('[aria-current="step"]')).toHaveCount(0);
  });

  test("the published pair lights its calls up to the one that oopses", async ({ page }) => {
    await realKernel(page, /As published/);
    await page.getByRole("button", { name: /Start server/ }).click();
    const server = await callLines(page, "published", "server", [
      "sock_create_kern",
      "bind",
      "listen",
      "accept",
    ]);
    await expect.poll(async () => inOrder(await litLines(page), server), { timeout: BOOT_MS }).toBe(true);
    await page.getByRole("button", { name: /Start client/ }).click();
    const client = await callLines(page, "published", "client", ["sock_create_kern", "connect"]);
    await expect.poll(async () => inOrder(await litLines(page), client), { timeout: RUN_MS }).toBe(true);
    // The oops opens its own dock tab when it comes (once per oops: the server's recvmsg and the
    // client's send can both oops); the Timeline is shown once the oopses have taken their turn.
    await expect(page.getByRole("tab", { name: /^Oops/ })).toBeVisible({ timeout: RUN_MS });
    await expect(async () => {
      await showDockTab(page, "Timeline");
      await page.waitForTimeout(1_000);
      await expect(page.getByRole("tab", { name: "Timeline", selected: true })).toBeVisible({ timeout: 500 });
    }).toPass({ timeout: RUN_MS });
    // The oops and its console lines fill the end of the (virtual) timeline: the calls are earlier.
    await scrollTimelineToStart(page.getByRole("region", { name: "Timeline", exact: true }));
    // Then down the list, as a person scrolls, to the server's bind and the client's connect (the
    // guest's console lines of the boot can come first, so the bind may be a few screens down).
    for (const text of ["server: bind returned 0", "client: connect returned 0"]) {
      const row = page.getByText(text).first();
      for (let i = 0; i < 80 && (await row.count()) === 0; i++) await page.mouse.wheel(0, 120);
      await expect(row).toBeAttached();
    }
  });
});
