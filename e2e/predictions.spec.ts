import type { Page } from "@playwright/test";
import { UI_EN } from "../client/src/i18n/locales/en.ts";
import { UI_ZH } from "../client/src/i18n/locales/zh.ts";
import { expect, moduleState, openLab, printkPane, test } from "./fixtures.ts";

function prediction(page: Page, region = UI_EN.predict.region) {
  return page.getByRole("region", { name: region });
}

/** Answers by keyboard: focus the choice and press Enter. */
async function answer(page: Page, choice: string, region?: string): Promise<void> {
  const button = prediction(page, region).getByRole("button", { name: choice, exact: true });
  await button.focus();
  await page.keyboard.press("Enter");
}

test("step mode asks first at connect, bind and accept; the real result stands beside the prediction, with a tally", async ({
  page,
}) => {
  await openLab(page);
  await page.getByRole("button", { name: UI_EN.stepMode.switch }).click();

  await test.step("connect with no server: predicted 0, really -111", async () => {
    await page.getByRole("button", { name: "Start client" }).click();
    await page.getByRole("button", { name: "Step client" }).click();
    const region = prediction(page);
    await expect(region.getByRole("group", { name: "What will connect return?" })).toBeVisible();
    await expect(region.getByRole("button")).toHaveText([
      "0",
      "-111 (ECONNREFUSED)",
      "-98 (EADDRINUSE)",
      "it blocks",
    ]);
    await answer(page, "0");
    // The real call ran: the client failed as the kernel says, whatever was predicted.
    await expect(moduleState(page, "client")).toHaveText(/paused before|failed \(-111\)/);
    await expect(printkPane(page)).toContainText("client:connect error!");
    const result = region.getByRole("status");
    await expect(result).toContainText("You predicted connect: 0");
    await expect(result).toContainText("the real result: -111 (ECONNREFUSED)");
    await expect(result).toContainText("not this time");
    await expect(result).toContainText("answered with a reset");
    await expect(region).toContainText("0 of 1 predicted");
  });

  await test.step("bind on a free port: predicted 0, really 0", async () => {
    // The client's init returned -111 after connect: it ended by itself.
    await expect(moduleState(page, "client")).toHaveText("failed (-111)");
    await page.getByRole("button", { name: "Start server" }).click();
    await page.getByRole("button", { name: "Step server" }).click();
    await expect(prediction(page).getByRole("group", { name: "What will bind return?" })).toBeVisible();
    await answer(page, "0");
    await expect(prediction(page).getByRole("status")).toContainText("the real result: 0 ✓ right");
    await expect(prediction(page)).toContainText("1 of 2 predicted");
  });

  await test.step("accept with an empty queue: predicted it blocks, and it does", async () => {
    await page.getByRole("button", { name: "Step server" }).click(); // listen: no question there
    await expect(prediction(page).getByRole("group", { name: "What will accept return?" })).toBeVisible();
    await answer(page, "it blocks");
    await expect(moduleState(page, "server")).toHaveText("running — blocked in accept");
    await expect(prediction(page).getByRole("status")).toContainText("the real result: it blocks ✓ right");
    await expect(prediction(page)).toContainText("accept sleeps until a client connects");
    await expect(prediction(page)).toContainText("2 of 3 predicted");
  });
});

test("step mode asks at recvmsg and at the published init's return; each real result stands beside the prediction", async ({
  page,
}) => {
  await openLab(page);
  await page.getByRole("button", { name: UI_EN.stepMode.switch }).click();

  await test.step("the server gets to accept: bind predicted 0, accept predicted to block", async () => {
    await page.getByRole("button", { name: "Start server" }).click();
    await page.getByRole("button", { name: "Step server" }).click();
    await expect(prediction(page).getByRole("group", { name: "What will bind return?" })).toBeVisible();
    await answer(page, "0");
    await page.getByRole("button", { name: "Step server" }).click(); // listen: no question there
    await expect(prediction(page).getByRole("group", { name: "What will accept return?" })).toBeVisible();
    await answer(page, "it blocks");
    await expect(moduleState(page, "server")).toHaveText("running — blocked in accept");
    // No client yet: accept sleeps, and after a while the verdict says so.
    await expect(prediction(page).getByRole("status")).toContainText("the real result: it blocks ✓ right");
  });

  await test.step("the client connects and sends its 1024 bytes before the server reads", async () => {
    await page.getByRole("button", { name: "Start client" }).click();
    await page.getByRole("button", { name: "Step client" }).click();
    await expect(prediction(page).getByRole("group", { name: "What will connect return?" })).toBeVisible();
    await answer(page, "0");
    await expect(prediction(page).getByRole("status")).toContainText("the real result: 0 ✓ right");
    // Accept returned with the connection; the server now waits before recvmsg, which is asked.
    await expect(moduleState(page, "server")).toHaveText("running — paused before kernel_recvmsg");
    await expect(
      prediction(page).getByRole("group", { name: "What will kernel_recvmsg return?" }),
    ).toBeVisible();
    await expect(moduleState(page, "client")).toHaveText("running — paused before kernel_sendmsg");
    await page.getByRole("button", { name: "Step client" }).click();
    // The published client sends and returns from its init, never releasing its socket.
    await expect(moduleState(page, "client")).toHaveText("loaded");
  });

  await test.step("recvmsg: predicted 8 (sizeof a pointer), really 1024", async () => {
    const region = prediction(page);
    await expect(
      region.getByRole("group", { name: "What will kernel_recvmsg return?" }).getByRole("button"),
    ).toHaveText(["1024", "8", "0", "it blocks"]);
    await answer(page, "8");
    await expect(region.getByRole("status")).toContainText("You predicted kernel_recvmsg: 8");
    await expect(region.getByRole("status")).toContainText("the real result: 1024 ✗ not this time");
    await expect(region.getByRole("status")).toContainText(
      "The client's 1024 bytes were already in the receive queue",
    );
    await expect(region).toContainText("3 of 4 predicted");
  });

  await test.step("the published init's return: predicted 1024, and the kernel gets 1024", async () => {
    const region = prediction(page);
    // The published server releases its listener first; the question comes before its last call.
    await expect(moduleState(page, "server")).toHaveText("running — paused before sock_release_listener");
    await expect(region.getByRole("group")).toHaveCount(0);
    await page.getByRole("button", { name: "Step server" }).click();
    await expect(
      region.getByRole("group", { name: "What will server_init return to the kernel?" }),
    ).toBeVisible();
    await expect(moduleState(page, "server")).toHaveText("running — paused before sock_release_conn");
    await answer(page, "1024");
    // The answer runs the server's last call; then init returns, and the verdict is the kernel's.
    await expect(region.getByRole("status")).toContainText("You predicted server_init: 1024");
    await expect(moduleState(page, "server")).toHaveText("loaded");
    await expect(printkPane(page)).toContainText("suspiciously returned 1024");
    await expect(region.getByRole("status")).toContainText("the real result: 1024 ✓ right");
    await expect(region.getByRole("status")).toContainText("server_init returns what myserver() returns");
    await expect(region).toContainText("4 of 5 predicted");
  });
});

test("the question and its verdict in Chinese", async ({ page }) => {
  await page.goto("/?pace=instant&lang=zh");
  await expect(page.getByText(/你的实验使用端口 \d+/)).toBeVisible();
  await page.getByRole("button", { name: UI_ZH.stepMode.switch }).click();
  await page.getByRole("button", { name: "启动客户端" }).click();
  await page.getByRole("button", { name: "单步执行客户端" }).click();
  const region = prediction(page, UI_ZH.predict.region);
  await expect(region.getByRole("group", { name: "connect 会返回什么？" })).toBeVisible();
  await answer(page, "-111 (ECONNREFUSED)", UI_ZH.predict.region);
  await expect(region.getByRole("status")).toContainText("猜对了");
  await expect(region).toContainText("预测对了 1 次，共 1 次");
});
