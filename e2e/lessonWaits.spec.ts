import { UI_EN } from "../client/src/i18n/locales/en.ts";
import { UI_ZH } from "../client/src/i18n/locales/zh.ts";
import { LESSON_EN } from "../shared/content/lesson/text.en.ts";
import { currentLine, expect, moduleState, openLab, printkPane, test } from "./fixtures.ts";

const lessonRegion = (page: import("@playwright/test").Page) =>
  page.getByRole("region", { name: UI_EN.lesson.region, exact: true });

test("a done step shows its real outcome and waits for Next", async ({ page }) => {
  await openLab(page, "?pace=instant&step=server-walkthrough");
  const lesson = lessonRegion(page);
  await page.getByRole("button", { name: "Start server" }).click();
  const done = lesson.getByRole("status").filter({ hasText: UI_EN.lesson.doneWaiting });
  await expect(done).toContainText("server called accept, which has not returned");
  // The done step is on screen with its outcome, and the lesson is still on it: only Next moves on.
  await expect(lesson.getByRole("heading", { level: 2 })).toHaveText(LESSON_EN["server-walkthrough"].title);
  await expect(page).toHaveURL(/step=server-walkthrough/);
  await lesson.getByRole("button", { name: UI_EN.lesson.next }).click();
  await expect(lesson.getByRole("heading", { level: 2 })).toHaveText(LESSON_EN["insmod-blocks"].title);
});

test("the impatient path: Start server on step 1, then step 4 offers Reset the lab and can be completed", async ({
  page,
}) => {
  await openLab(page);
  const lesson = lessonRegion(page);
  await page.getByRole("button", { name: "Start server" }).click();
  await expect(moduleState(page, "server")).toHaveText("running — blocked in accept");
  for (let i = 0; i < 3; i++) await lesson.getByRole("button", { name: UI_EN.lesson.next }).click();
  await expect(lesson.getByRole("heading", { level: 2 })).toHaveText(LESSON_EN["server-walkthrough"].title);

  // The lab is not where the task starts: the step says so and offers the reset.
  await expect(lesson).toContainText("This task starts with the server module not loaded");
  // Start server answers File exists, Stop server Device or resource busy: the kernel's refusals.
  await page.getByRole("button", { name: "Start server" }).click();
  await expect(printkPane(page)).toContainText("could not insert module server.ko: File exists");
  await lesson.getByRole("button", { name: UI_EN.labControls.reset }).click();
  await expect(printkPane(page)).toContainText(
    "lab restarted: server.ko was stuck in accept; a real machine would need a reboot",
  );
  await expect(printkPane(page)).toContainText("rmmod: ERROR: Module server is in use");
  await expect(moduleState(page, "server")).toHaveText("not loaded");
  await expect(lesson).not.toContainText("This task starts with");

  await page.getByRole("button", { name: "Start server" }).click();
  await expect(moduleState(page, "server")).toHaveText("running — blocked in accept");
  await expect(lesson.getByRole("status").filter({ hasText: UI_EN.lesson.doneWaiting })).toBeVisible();
  await expect(lesson.getByRole("heading", { level: 2 })).toHaveText(LESSON_EN["server-walkthrough"].title);
});

test("Reset the lab is in the toolbar on every step, and unloads loaded modules with rmmod", async ({
  page,
}) => {
  await openLab(page, "?pace=instant&step=timeline");
  await page.getByRole("button", { name: "Start server" }).click();
  await page.getByRole("button", { name: "Start client" }).click();
  await expect(moduleState(page, "server")).toHaveText("loaded");
  const toolbar = page.getByRole("group", { name: UI_EN.labControls.group });
  await toolbar.getByRole("button", { name: UI_EN.labControls.reset }).click();
  await expect(moduleState(page, "server")).toHaveText("not loaded");
  await expect(moduleState(page, "client")).toHaveText("not loaded");
  await expect(printkPane(page)).toContainText("$ rmmod server");
  await expect(printkPane(page)).toContainText("good bye");
  await expect(printkPane(page)).not.toContainText("lab restarted");
});

test("Occupy port gives the server bind error on the bind line; Free port lets the next start succeed", async ({
  page,
}) => {
  await openLab(page, "?pace=instant&step=port-busy");
  const occupy = page.getByRole("button", { name: /Occupy port \d+/ });
  await occupy.click();
  const free = page.getByRole("button", { name: /Free port \d+/ });
  await expect(free).toHaveAttribute("aria-pressed", "true");
  await page.getByRole("button", { name: "Start server" }).click();
  await expect(moduleState(page, "server")).toHaveText("failed (-98)");
  await expect(currentLine(page, "server.c")).toContainText("sock->ops->bind(");
  await expect(printkPane(page)).toContainText("server: bind error");
  await expect(printkPane(page)).toContainText("Address already in use");

  await free.click();
  await expect(occupy).toHaveAttribute("aria-pressed", "false");
  await page.getByRole("button", { name: "Start server" }).click();
  await expect(moduleState(page, "server")).toHaveText("running — blocked in accept");
  await expect(printkPane(page)).toContainText("server:bind ok!");
});

test("a step that starts from the server blocked in accept names the button that gets there, and can then be done", async ({
  page,
}) => {
  await openLab(page, "?pace=instant&step=insmod-blocks");
  const lesson = lessonRegion(page);
  await expect(moduleState(page, "server")).toHaveText("not loaded");
  // Reset the lab cannot make a server blocked in accept: the step says which button does, and offers no reset.
  const needs = lesson.getByRole("status").filter({ hasText: "its init still running" });
  await expect(needs).toContainText("Reset the lab cannot get there. Press Start server.");
  await expect(lesson.getByRole("button", { name: UI_EN.labControls.reset })).toHaveCount(0);

  await page.getByRole("button", { name: "Start server" }).click();
  await expect(moduleState(page, "server")).toHaveText("running — blocked in accept");
  await expect(lesson).not.toContainText("its init still running");
  await page.getByRole("button", { name: "Stop server" }).click();
  await expect(lesson.getByRole("status").filter({ hasText: UI_EN.lesson.doneWaiting })).toContainText(
    "Module server is in use",
  );
});

test("in Chinese, the step names the button by its Chinese name", async ({ page }) => {
  await page.goto("/?pace=instant&step=insmod-blocks&lang=zh");
  await expect(page.getByText(/你的实验使用端口 \d+/)).toBeVisible();
  const lesson = page.getByRole("region", { name: UI_ZH.lesson.region, exact: true });
  await expect(lesson).toContainText("“重置实验”做不到这一点。请按“启动服务器”。");
});
