import { expect, moduleState, openLab, showDockTab, test } from "./fixtures.ts";

test.use({ viewport: { width: 1280, height: 720 } });

test("the module the lab moved last has the room, the learner can pick the other, and the code can be maximised and restored (button, M, Esc), remembered", async ({
  page,
}) => {
  await openLab(page);
  const server = page.locator(".module-panel", { has: page.getByRole("region", { name: "server module" }) });
  const client = page.locator(".module-panel", { has: page.getByRole("region", { name: "client module" }) });
  await page.getByRole("button", { name: "Step mode" }).click();
  await page.getByRole("button", { name: /Start server/ }).click();
  await expect(moduleState(page, "server")).toHaveText("running — paused before sock_create_kern");
  await expect(page.getByRole("region", { name: "server.c", exact: true })).toBeVisible();
  await expect(page.getByRole("region", { name: "client.c", exact: true })).toBeHidden();
  await expect(client.getByRole("button", { name: /Start client/ })).toBeVisible();

  await page.getByRole("button", { name: "Show client.c" }).click();
  await expect(page.getByRole("region", { name: "client.c", exact: true })).toBeVisible();
  await expect(page.getByRole("region", { name: "server.c", exact: true })).toBeHidden();
  await page.getByRole("button", { name: /Start client/ }).click();
  await expect(moduleState(page, "client")).toHaveText("running — paused before sock_create_kern");
  await page.getByRole("button", { name: "Step server", exact: true }).click();
  await expect(moduleState(page, "server")).toHaveText("running — paused before bind");
  await expect(page.getByRole("region", { name: "server.c", exact: true })).toBeVisible();
  await expect(server).toHaveClass(/focused/);

  const maximise = server.getByRole("button", { name: /Maximise server\.c/ });
  await maximise.click();
  await expect(page.getByRole("tablist", { name: "Views of the run" })).toBeHidden();
  await expect(client).toBeHidden();
  // Unloaded first, so the reload does not ask (see the next test).
  await page.getByRole("button", { name: "Reset the lab" }).click();
  // Maximised, the other module is hidden: read both states from the page's text.
  await expect
    .poll(() => page.locator(".module-state .state-words").allTextContents())
    .toEqual(["not loaded", "not loaded"]);
  await page.reload();
  await expect(page.getByText(/your lab uses port \d+/)).toBeVisible();
  await expect(page.getByRole("tablist", { name: "Views of the run" })).toBeHidden();
  await page.keyboard.press("Escape");
  await expect(page.getByRole("tablist", { name: "Views of the run" })).toBeVisible();
  await page.locator("body").click({ position: { x: 5, y: 5 } });
  await page.keyboard.press("m");
  await expect(page.getByRole("tablist", { name: "Views of the run" })).toBeHidden();
  await page.keyboard.press("m");
  await expect(page.getByRole("tablist", { name: "Views of the run" })).toBeVisible();
});

test("a reload asks first while a module is loaded, and not before", async ({ page }) => {
  await openLab(page);
  const asked: string[] = [];
  page.on("dialog", (dialog) => {
    asked.push(dialog.type());
    void dialog.dismiss();
  });
  await page.getByRole("button", { name: /Start server/ }).click();
  await expect(moduleState(page, "server")).toHaveText("running — blocked in accept");
  await page.evaluate(() => {
    location.reload();
  });
  await expect.poll(() => asked).toEqual(["beforeunload"]);
  // Dismissed: the page and its lab stay.
  await expect(moduleState(page, "server")).toHaveText("running — blocked in accept");
  await page.getByRole("button", { name: "Reset the lab" }).click();
  await expect(moduleState(page, "server")).toHaveText("not loaded");
  await page.reload();
  await expect(page.getByText(/your lab uses port \d+/)).toBeVisible();
  expect(asked).toEqual(["beforeunload"]);
});

test("after looking back on the timeline and returning, the printk badge counts no record as new", async ({
  page,
}) => {
  await openLab(page);
  await page.getByRole("button", { name: /Start server/ }).click();
  await expect(moduleState(page, "server")).toHaveText("running — blocked in accept");
  await showDockTab(page, "Timeline");
  const printkTab = page.getByRole("tab", { name: /printk/ });
  await page.getByRole("button", { name: "Step back" }).click();
  await page.getByRole("button", { name: "Step back" }).click();
  await page.getByRole("button", { name: "Go to live" }).click();
  await expect(page.getByRole("button", { name: "Go to live" })).toHaveAttribute("aria-disabled", "true");
  await expect(printkTab).not.toContainText(/new/);
});
