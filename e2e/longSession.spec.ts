import type { Page } from "@playwright/test";
import { expect, moduleState, openLab, showDockTab, test } from "./fixtures.ts";

/** The page keeps this many runs in full (client/src/connection/eventRecord.ts KEEP_RUNS). */
const KEEP_RUNS = 20;

async function lesson(page: Page): Promise<void> {
  await page.getByRole("button", { name: /Start server/ }).click();
  await expect(moduleState(page, "server")).toHaveText("running — blocked in accept");
  await page.getByRole("button", { name: /Start client/ }).click();
  await expect(moduleState(page, "client")).toHaveText("loaded");
  await expect(moduleState(page, "server")).toHaveText("loaded");
  await page.getByRole("button", { name: /Stop server/ }).click();
  await page.getByRole("button", { name: /Stop client/ }).click();
  await expect(moduleState(page, "server")).toHaveText("not loaded");
  await expect(moduleState(page, "client")).toHaveText("not loaded");
}

function domNodes(page: Page): Promise<number> {
  return page.evaluate(() => document.getElementsByTagName("*").length);
}

test("a long session keeps the page's size bounded: the timeline, the diagram and the log show what is on screen", async ({
  page,
}) => {
  test.setTimeout(180_000);
  await openLab(page);
  const timeline = page.getByRole("region", { name: "Timeline", exact: true });
  const diagram = page.getByRole("region", { name: "Sequence diagram" });
  const transport = page.getByRole("region", { name: "Moment shown" });
  const backToLive = transport.getByRole("button", { name: "Go to live" });

  await test.step("three runs", async () => {
    for (let i = 0; i < 3; i++) await lesson(page);
  });
  // The diagram and the timeline are dock tabs: each is measured with the Sequence tab open.
  await showDockTab(page, "Sequence");
  await expect(diagram).toContainText("Run 3");
  const afterThree = await domNodes(page);
  const rowsOfOneRun = await diagram.locator("svg g.seq-call").count();

  await test.step(`${KEEP_RUNS + 5} runs in all`, async () => {
    for (let i = 3; i < KEEP_RUNS + 5; i++) await lesson(page);
  });

  await test.step("the diagram shows the current run and folds the others into one line", async () => {
    await expect(diagram).toContainText(`Run ${KEEP_RUNS + 5}`);
    await expect(diagram).toContainText(`Earlier runs folded: ${KEEP_RUNS + 4} runs`);
    expect(await diagram.locator("svg g.seq-call").count()).toBe(rowsOfOneRun);
  });

  await test.step("the timeline says what it no longer keeps, and lists only the entries in view", async () => {
    await showDockTab(page, "Timeline");
    await expect(timeline).toContainText(
      `This page keeps the last ${KEEP_RUNS} runs in full. 5 earlier runs`,
    );
    expect(await timeline.getByRole("listitem").count()).toBeLessThan(60);
  });

  await test.step("the page holds no more DOM than it did after three runs", async () => {
    await showDockTab(page, "Sequence");
    expect(await domNodes(page)).toBeLessThanOrEqual(afterThree * 1.1);
  });

  await test.step("looking back still works over what is kept", async () => {
    await transport.getByRole("slider").focus();
    await page.keyboard.press("Home");
    await expect(transport.getByRole("status")).toContainText("Viewing the past");
    await expect(backToLive).toHaveAttribute("aria-disabled", "false");
    await expect(diagram).toContainText("Run 6");
    await backToLive.click();
    await expect(backToLive).toHaveAttribute("aria-disabled", "true");
    await expect(diagram).toContainText(`Run ${KEEP_RUNS + 5}`);
  });
});
