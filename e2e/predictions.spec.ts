import type { Locator, Page } from "@playwright/test";
import { UI_EN } from "../client/src/i18n/locales/en.ts";
import { UI_ZH } from "../client/src/i18n/locales/zh.ts";
import { LESSON_EN } from "../shared/content/lesson/text.en.ts";
import { expect, moduleState, openLab, printkPane, test } from "./fixtures.ts";

function prediction(page: Page, region = UI_EN.predict.region): Locator {
  return page.getByRole("region", { name: region });
}

/** Answers by keyboard: focus the choice and press Enter. */
async function answer(page: Page, choice: string, region?: string): Promise<void> {
  const button = prediction(page, region).getByRole("button", { name: choice, exact: true });
  await button.focus();
  await page.keyboard.press("Enter");
}

/** The element is inside the pane that scrolls around it: above that pane's fold, not just on the page. */
async function inItsPane(element: Locator): Promise<boolean> {
  return element.evaluate((node) => {
    const box = node.getBoundingClientRect();
    for (let parent = node.parentElement; parent; parent = parent.parentElement) {
      const { overflowY } = getComputedStyle(parent);
      if (overflowY !== "auto" && overflowY !== "scroll") continue;
      const pane = parent.getBoundingClientRect();
      if (box.top < pane.top - 1 || box.bottom > pane.bottom + 1) return false;
    }
    return box.top >= 0 && box.bottom <= innerHeight;
  });
}

const step = (page: Page, module: "server" | "client") =>
  page.getByRole("button", { name: `Step ${module}`, exact: true });

test.describe("at 1280×720", () => {
  test.use({ viewport: { width: 1280, height: 720 } });

  test("step 11 asks at bind, then the connect question at connect, in view, though the server waits before accept; step 12 asks accept, recvmsg and init; no verdict lingers on a later step", async ({
    page,
  }, testInfo) => {
    await openLab(page, "?pace=instant&step=step-mode");
    const lesson = page.getByRole("region", { name: "Lesson", exact: true });
    await page.getByRole("button", { name: UI_EN.stepMode.switch }).click();

    await test.step("step 11: bind on a free port, predicted 0, really 0", async () => {
      await page.getByRole("button", { name: /Start server/ }).click();
      await step(page, "server").click();
      const bind = prediction(page).getByRole("group", { name: "What will bind return?" });
      await expect(bind).toBeVisible();
      expect(await inItsPane(bind)).toBe(true);
      // The impatient path: a double click answers once and runs one call.
      await bind.getByRole("button", { name: "0", exact: true }).dblclick();
      await expect(prediction(page).getByRole("status")).toContainText("the real result: 0 ✓ right");
      await expect(moduleState(page, "server")).toHaveText("running — paused before listen");
      await expect(prediction(page)).toContainText("1 of 1 predicted");
    });

    await test.step("the server held before accept: step 11 does not ask about accept", async () => {
      await step(page, "server").click(); // listen
      await expect(moduleState(page, "server")).toHaveText("running — paused before accept");
      await expect(prediction(page).getByRole("group")).toHaveCount(0);
    });

    await test.step("the client at connect: the connect question, above the lesson pane's fold", async () => {
      await page.getByRole("button", { name: /Start client/ }).click();
      await step(page, "client").click();
      await expect(moduleState(page, "client")).toHaveText("running — paused before connect");
      const connect = prediction(page).getByRole("group", {
        name: `${UI_EN.predict.lead.connect} What will connect return?`,
      });
      await expect(connect).toBeVisible();
      await expect.poll(() => inItsPane(connect)).toBe(true);
      // The accept question is still not asked: the server is held before accept all along.
      await expect(prediction(page).getByRole("group")).toHaveCount(1);
      await page.screenshot({ path: testInfo.outputPath("step11-connect-1280x720.png") });
      await answer(page, "it blocks");
      const verdict = prediction(page).getByRole("status");
      await expect(verdict).toContainText("You predicted connect: it blocks");
      await expect(verdict).toContainText("the real result: 0 ✗ not this time");
      await expect(verdict).toContainText("the kernel finished the handshake by itself, with no accept yet");
      await expect(moduleState(page, "server")).toHaveText("running — paused before accept");
      await expect(lesson.getByRole("status").filter({ hasText: "Done." })).toContainText(
        "connect returned 0",
      );
      await expect(prediction(page)).toContainText("1 of 2 predicted");
    });

    await test.step("step 12: step 11's verdict is gone; accept is asked, the connection already queued", async () => {
      await lesson.getByRole("button", { name: "Next" }).click();
      await expect(lesson.getByRole("heading", { level: 2 })).toHaveText(LESSON_EN["accept-queue"].title);
      await expect(prediction(page).getByRole("status")).toHaveCount(0);
      await expect(prediction(page).getByRole("group", { name: "What will accept return?" })).toBeVisible();
      await page.getByRole("button", { name: "Continue client" }).click();
      await expect(moduleState(page, "client")).toHaveText("loaded");
      await answer(page, "0");
      await expect(prediction(page).getByRole("status")).toContainText("the real result: 0 ✓ right");
      await expect(prediction(page)).toContainText("accept took it at once");
    });

    await test.step("step 12: recvmsg predicted 8 (sizeof a pointer), really 1024", async () => {
      const recvmsg = prediction(page).getByRole("group", { name: "What will kernel_recvmsg return?" });
      await expect(recvmsg.getByRole("button")).toHaveText(["1024", "8", "0", "it blocks"]);
      expect(await inItsPane(recvmsg)).toBe(true);
      await answer(page, "8");
      const verdict = prediction(page).getByRole("status");
      await expect(verdict).toContainText("You predicted kernel_recvmsg: 8");
      await expect(verdict).toContainText("the real result: 1024 ✗ not this time");
      await expect(verdict).toContainText("The client's 1024 bytes were already in the receive queue");
    });

    await test.step("step 12: the published init's return, predicted 1024, and the kernel gets 1024", async () => {
      // The published server releases its listener first; the question comes before its last call.
      await expect(moduleState(page, "server")).toHaveText("running — paused before sock_release_listener");
      await expect(prediction(page).getByRole("group")).toHaveCount(0);
      await step(page, "server").click();
      await expect(
        prediction(page).getByRole("group", { name: "What will server_init return to the kernel?" }),
      ).toBeVisible();
      await answer(page, "1024");
      await expect(moduleState(page, "server")).toHaveText("loaded");
      await expect(printkPane(page)).toContainText("suspiciously returned 1024");
      const verdict = prediction(page).getByRole("status");
      await expect(verdict).toContainText("You predicted server_init: 1024");
      await expect(verdict).toContainText("the real result: 1024 ✓ right");
      await expect(verdict).toContainText("server_init returns what myserver() returns");
      await expect(prediction(page)).toContainText("3 of 5 predicted");
      await expect(lesson.getByRole("status").filter({ hasText: "Done." })).toBeVisible();
    });

    await test.step("step 13 shows no question and no verdict of the steps before", async () => {
      await lesson.getByRole("button", { name: "Next" }).click();
      await expect(lesson.getByRole("heading", { level: 2 })).toHaveText(LESSON_EN.timeline.title);
      await expect(prediction(page)).toHaveCount(0);
    });
  });
});

test("at step 11, a client started before any server is asked at connect and answered with a reset (-111)", async ({
  page,
}) => {
  await openLab(page, "?pace=instant&step=step-mode");
  await page.getByRole("button", { name: UI_EN.stepMode.switch }).click();
  await page.getByRole("button", { name: "Start client" }).click();
  await step(page, "client").click();
  const region = prediction(page);
  await expect(region.getByRole("group", { name: "What will connect return?" })).toBeVisible();
  await expect(region.getByRole("group").getByRole("button")).toHaveText([
    "0",
    "-111 (ECONNREFUSED)",
    "-98 (EADDRINUSE)",
    "it blocks",
  ]);
  await answer(page, "0");
  // The real call ran: the client failed as the kernel says, whatever was predicted.
  await expect(moduleState(page, "client")).toHaveText("failed (-111)");
  await expect(printkPane(page)).toContainText("client:connect error!");
  const result = region.getByRole("status");
  await expect(result).toContainText("You predicted connect: 0");
  await expect(result).toContainText("the real result: -111 (ECONNREFUSED)");
  await expect(result).toContainText("not this time");
  await expect(result).toContainText("answered with a reset");
  await expect(region).toContainText("0 of 1 predicted");
});

test("step mode on a step that asks nothing runs the calls without a question", async ({ page }) => {
  await openLab(page, "?pace=instant&step=server-walkthrough");
  await page.getByRole("button", { name: UI_EN.stepMode.switch }).click();
  await page.getByRole("button", { name: /Start server/ }).click();
  await step(page, "server").click();
  await expect(moduleState(page, "server")).toHaveText("running — paused before bind");
  await expect(prediction(page)).toHaveCount(0);
  await step(page, "server").click();
  await expect(moduleState(page, "server")).toHaveText("running — paused before listen");
  await expect(prediction(page)).toHaveCount(0);
});

test("the question and its verdict in Chinese, with the step's own lead", async ({ page }) => {
  await page.goto("/?pace=instant&lang=zh&step=step-mode");
  await expect(page.getByText(/你的实验使用端口 \d+/)).toBeVisible();
  await page.getByRole("button", { name: UI_ZH.stepMode.switch }).click();
  await page.getByRole("button", { name: "启动服务器" }).click();
  for (let i = 0; i < 3; i++) await page.getByRole("button", { name: "单步执行服务器" }).click();
  await expect(
    page.getByRole("region", { name: UI_ZH.module.server.region }).locator(".module-state .state-words"),
  ).toHaveText("运行中 — 暂停在 accept 之前");
  await page.getByRole("button", { name: "启动客户端" }).click();
  await page.getByRole("button", { name: "单步执行客户端" }).click();
  const region = prediction(page, UI_ZH.predict.region);
  await expect(
    region.getByRole("group", { name: `${UI_ZH.predict.lead.connect} connect 会返回什么？` }),
  ).toBeVisible();
  await answer(page, "0", UI_ZH.predict.region);
  // The verdict in Chinese (whether it is right is the English test's: a loaded machine can make connect slow).
  await expect(region.getByRole("status")).toContainText("你对 connect 的预测： 0 · 真实结果：");
  await expect(region.getByRole("status")).toContainText(/猜对了|这次没猜中/);
  await expect(region).toContainText(/预测对了 [01] 次，共 1 次/);
});
