import { readFile } from "node:fs/promises";
import { UI_EN } from "../client/src/i18n/locales/en.ts";
import { LESSON_EN } from "../shared/content/lesson/text.en.ts";
import { expect, moduleState, openLab, printkPane, test } from "./fixtures.ts";

test("a URL with variant, engine and step restores them, and the URL follows the lab", async ({ page }) => {
  await page.goto("/?pace=instant&variant=fixed&engine=real-kernel&step=port-busy&lang=en");
  const lesson = page.getByRole("region", { name: UI_EN.lesson.region, exact: true });
  await expect(lesson.getByRole("heading", { level: 2 })).toHaveText(LESSON_EN["port-busy"].title);
  await expect(page.getByRole("button", { name: UI_EN.variant.fixed })).toHaveAttribute(
    "aria-pressed",
    "true",
  );
  const engine = page.getByRole("region", { name: UI_EN.engine.region });
  await expect(engine.getByRole("button", { name: /Real kernel/ })).toHaveAttribute("aria-pressed", "true");
  // Selected, not run: the link loads no module (the engine may warm its VM up, as choosing it does).
  await expect(printkPane(page)).not.toContainText("$ insmod");
  await expect(page).toHaveURL(/variant=fixed/);
  await expect(page).toHaveURL(/engine=real-kernel/);

  await engine.getByRole("button", { name: UI_EN.engine.node }).click();
  await expect(page).toHaveURL(/engine=node/);
  await page.getByRole("button", { name: UI_EN.variant.published }).click();
  await expect(page).toHaveURL(/variant=published/);
});

test("a link to a moment of a recorded run says what to press, then opens the run at that moment, or at its end with the reason when the run has no such event", async ({
  page,
  context,
}) => {
  // Three tabs open the run (the link's moment, then a moment past its end): more than a test's minute on a busy machine.
  test.setTimeout(120_000);
  await openLab(page);
  await page.getByRole("button", { name: "Start server" }).click();
  await page.getByRole("button", { name: "Start client" }).click();
  await expect(moduleState(page, "client")).toHaveText("loaded");
  const slider = page.getByRole("slider", { name: UI_EN.timeline.slider });
  await slider.fill("6");
  await expect(page).toHaveURL(/[?&]at=7/);
  const link = page.url();
  const download = page.waitForEvent("download");
  await page.getByRole("button", { name: UI_EN.runFile.export }).click();
  const text = await readFile(await (await download).path(), "utf8");

  const other = await context.newPage();
  try {
    await other.goto(link);
    const note = other
      .getByRole("status")
      .filter({ hasText: "This link points at event 7 of a recorded run" });
    await expect(note).toContainText("press Open run");
    await expect(moduleState(other, "server")).toHaveText("not loaded");
    await other.getByLabel(UI_EN.runFile.pick).setInputFiles({
      name: "run.json",
      mimeType: "application/json",
      buffer: Buffer.from(text),
    });
    await expect(note).toHaveCount(0);
    await expect(other.getByRole("slider", { name: UI_EN.timeline.slider })).toHaveValue("6");
    await expect(other.getByRole("status").filter({ hasText: "Viewing the past" })).toContainText(
      "event 7 of",
    );
  } finally {
    await other.close();
  }

  // A link's event past the end of the run opened is said beside it, never taken for a moment.
  const past = await context.newPage();
  try {
    await past.goto(link.replace(/([?&]at=)7\b/, "$19999"));
    await past.getByLabel(UI_EN.runFile.pick).setInputFiles({
      name: "run.json",
      mimeType: "application/json",
      buffer: Buffer.from(text),
    });
    await expect(
      past.getByRole("status").filter({ hasText: "The link pointed at event 9999, but this run has" }),
    ).toContainText("it is shown at its end");
    await expect(past.getByRole("status").filter({ hasText: "Viewing the past" })).toHaveCount(0);
  } finally {
    await past.close();
  }
});
