import type { Page } from "@playwright/test";
import type { ModuleName, StepId } from "../shared/protocol/steps.ts";
import { currentLine, expect, moduleState, openLab, printkPane, showDockTab, test } from "./fixtures.ts";
import { check, type Tally } from "./workbenchContract.ts";

async function fullRunInStepMode(page: Page, tally: Tally): Promise<void> {
  await page.getByRole("button", { name: "Step mode" }).click();
  await expect(page.getByRole("button", { name: "Step mode" })).toHaveAttribute("aria-pressed", "true");
  const step = (module: ModuleName) => page.getByRole("button", { name: `Step ${module}`, exact: true });
  const pausedAt = async (module: ModuleName, id: StepId) => {
    await expect(moduleState(page, module)).toHaveText(`running — paused before ${id}`);
    await check(page, tally, `${module} paused before ${id}`, module);
  };
  await page.getByRole("button", { name: /Start server/ }).click();
  for (const id of ["sock_create_kern", "bind", "listen", "accept"] as const) {
    await pausedAt("server", id);
    await step("server").click();
  }
  await expect(moduleState(page, "server")).toHaveText("running — blocked in accept");
  await check(page, tally, "server blocked in accept", "server");
  await page.getByRole("button", { name: /Start client/ }).click();
  for (const id of ["sock_create_kern", "connect", "kernel_sendmsg"] as const) {
    await pausedAt("client", id);
    await step("client").click();
  }
  await expect(moduleState(page, "client")).toHaveText("loaded");
  // The client is done; the server, held before kernel_recvmsg, is where the next press acts.
  await check(page, tally, "client loaded", "server");
  for (const id of ["kernel_recvmsg", "sock_release_listener", "sock_release_conn"] as const) {
    await pausedAt("server", id);
    await step("server").click();
  }
  await expect(moduleState(page, "server")).toHaveText("loaded");
  await check(page, tally, "server loaded", "server");
}

for (const size of [
  { width: 1440, height: 900, lines: 22 },
  { width: 1280, height: 720, lines: 15 },
]) {
  test.describe(`at ${size.width}×${size.height}`, () => {
    test.use({ viewport: { width: size.width, height: size.height } });

    test(`every current line and printk's last row are on screen at every step of a full run, the running module's C in at least ${size.lines} lines`, async ({
      page,
    }) => {
      await openLab(page);
      const tally: Tally = {
        checked: 0,
        visible: 0,
        missed: [],
        fewestLines: Number.POSITIVE_INFINITY,
        lines: [],
      };
      await fullRunInStepMode(page, tally);
      test.info().annotations.push({
        type: "visibility",
        description: `${size.width}×${size.height}: current line visible ${tally.visible} / ${tally.checked}`,
      });
      console.log(
        `${size.width}×${size.height}: current line visible ${tally.visible} / ${tally.checked}; fewest C lines in view ${tally.fewestLines} (${tally.lines.join("; ")})`,
      );
      expect(tally.missed).toEqual([]);
      expect(tally.checked).toBeGreaterThanOrEqual(24);
      expect(tally.fewestLines).toBeGreaterThanOrEqual(size.lines);
    });

    test("the page itself never scrolls: it is exactly the window", async ({ page }) => {
      await openLab(page);
      const sizes = await page.evaluate(() => ({
        scrollWidth: document.documentElement.scrollWidth,
        scrollHeight: document.documentElement.scrollHeight,
        innerWidth,
        innerHeight,
      }));
      expect(sizes.scrollWidth).toBeLessThanOrEqual(sizes.innerWidth);
      expect(sizes.scrollHeight).toBeLessThanOrEqual(sizes.innerHeight);
    });
  });
}

test.describe("on a 390×844 phone", () => {
  test.use({ viewport: { width: 390, height: 844 }, hasTouch: true });

  test("no view scrolls sideways, Start server is reachable and uncovered, and starting shows the line and the log", async ({
    page,
  }) => {
    await openLab(page);
    const noSideways = async () =>
      page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
    for (const view of ["Lesson", "Code", "Log", "Kernel"]) {
      await page.getByRole("button", { name: view, exact: true }).click();
      await expect(page.getByRole("button", { name: view, exact: true })).toHaveAttribute(
        "aria-pressed",
        "true",
      );
      expect(await noSideways(), `${view} view`).toBe(true);
    }
    await page.getByRole("button", { name: "Lesson", exact: true }).click();
    await page.getByRole("button", { name: "Code", exact: true }).click();
    const start = page.getByRole("button", { name: /Start server/ });
    await expect(start).toBeInViewport();
    const uncovered = await start.evaluate((button) => {
      const box = button.getBoundingClientRect();
      const hit = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
      return hit !== null && button.contains(hit);
    });
    expect(uncovered).toBe(true);
    await start.click();
    await expect(moduleState(page, "server")).toHaveText("running — blocked in accept");
    await expect(currentLine(page, "server.c")).toBeInViewport();
    await expect(printkPane(page)).toContainText("server:listen ok!");
    await expect(printkPane(page)).toBeInViewport();
    expect(await noSideways()).toBe(true);
  });

  test("after Start client the code view follows the client: its line stays in view while the server goes on receiving", async ({
    page,
  }) => {
    // The human pace: the server's receive and release are shown after the client's last call.
    await openLab(page, "?pace=normal");
    await page.getByRole("button", { name: "Code", exact: true }).click();
    await page.getByRole("button", { name: /Start server/ }).click();
    await expect(moduleState(page, "server")).toHaveText("running — blocked in accept");
    await expect(currentLine(page, "server.c")).toBeInViewport();
    await page.getByRole("button", { name: /Start client/ }).click();
    await expect(moduleState(page, "server")).toHaveText("loaded");
    await expect(moduleState(page, "client")).toHaveText("loaded");
    await expect(currentLine(page, "server.c")).toContainText("sock_release(client_sock)");
    await expect(currentLine(page, "client.c")).toContainText("kernel_sendmsg(");
    await expect(currentLine(page, "client.c")).toBeInViewport();
  });

  test("step 11's connect question shows in the code view above the listings, the paused line in view", async ({
    page,
  }, testInfo) => {
    await openLab(page, "?pace=instant&step=step-mode");
    await page.getByRole("button", { name: "Code", exact: true }).click();
    await page.getByRole("button", { name: "Step mode" }).click();
    await page.getByRole("button", { name: /Start server/ }).click();
    for (let i = 0; i < 3; i++) await page.getByRole("button", { name: "Step server", exact: true }).click();
    await expect(moduleState(page, "server")).toHaveText("running — paused before accept");
    await page.getByRole("button", { name: /Start client/ }).click();
    await page.getByRole("button", { name: "Step client", exact: true }).click();
    await expect(moduleState(page, "client")).toHaveText("running — paused before connect");
    const question = page.getByRole("group", { name: /What will connect return\?/ });
    await expect(question).toBeInViewport();
    await expect(currentLine(page, "client.c")).toContainText("sock->ops->connect(");
    await expect(currentLine(page, "client.c")).toBeInViewport();
    await page.screenshot({ path: testInfo.outputPath("step11-connect-390x844.png") });
    await question.getByRole("button", { name: "0", exact: true }).click();
    await expect(page.getByRole("region", { name: "Predict, then run" }).getByRole("status")).toContainText(
      "the real result: 0 ✓ right",
    );
    await page.getByRole("button", { name: "Lesson", exact: true }).click();
    const lesson = page.getByRole("region", { name: "Lesson", exact: true });
    await expect(lesson.getByRole("status").filter({ hasText: "connect returned 0" })).toBeVisible();
  });
});

test("the dock's tabs move with the arrow keys, keep their regions' names, and count printk records missed", async ({
  page,
}) => {
  await openLab(page);
  const tabs = page.getByRole("tablist", { name: "Views of the run" });
  const printkTab = tabs.getByRole("tab", { name: /printk/ });
  await printkTab.focus();
  await page.keyboard.press("ArrowRight");
  await expect(tabs.getByRole("tab", { name: "Socket states" })).toBeFocused();
  await expect(tabs.getByRole("tab", { name: "Socket states" })).toHaveAttribute("aria-selected", "true");
  await expect(page.getByRole("region", { name: "Socket states" })).toBeVisible();
  await expect(page.getByRole("region", { name: "printk" })).toBeHidden();
  for (const [key, name] of [
    ["ArrowRight", "Sequence diagram"],
    ["ArrowRight", "Bytes received"],
    ["ArrowRight", "The kernel call of the moment shown"],
    ["ArrowRight", "Timeline"],
  ] as const) {
    await page.keyboard.press(key);
    await expect(page.getByRole("region", { name, exact: true })).toBeVisible();
  }
  await page.keyboard.press("Home");
  await expect(page.getByRole("region", { name: "printk" })).toBeVisible();

  await page.getByRole("button", { name: "Step mode" }).click();
  await page.getByRole("button", { name: /Start server/ }).click();
  await expect(moduleState(page, "server")).toHaveText("running — paused before sock_create_kern");
  await showDockTab(page, "Timeline");
  await page.getByRole("button", { name: "Step server", exact: true }).click();
  await expect(moduleState(page, "server")).toHaveText("running — paused before bind");
  await expect(printkTab).toContainText("1 new");
  await printkTab.click();
  await expect(printkTab).not.toContainText(/new/);
  await expect(printkPane(page)).toContainText("server:socket_create ok!");
});

test("Step back and Step forward move the shown moment one kernel call at a time, and Go to live returns", async ({
  page,
}) => {
  await openLab(page);
  await page.getByRole("button", { name: /Start server/ }).click();
  await expect(moduleState(page, "server")).toHaveText("running — blocked in accept");
  const back = page.getByRole("button", { name: "Step back" });
  const forward = page.getByRole("button", { name: "Step forward" });
  const live = page.getByRole("button", { name: "Go to live" });
  await expect(forward).toHaveAttribute("aria-disabled", "true");
  await expect(live).toHaveAttribute("aria-disabled", "true");

  await back.click();
  await expect(currentLine(page, "server.c")).toContainText("sock->ops->listen(");
  await expect(currentLine(page, "serverModule.ts")).toContainText('k.call("listen"');
  await expect(page.getByRole("region", { name: "Moment shown" }).getByRole("status")).toContainText(
    "Viewing the past",
  );
  await back.click();
  await expect(currentLine(page, "server.c")).toContainText("sock->ops->bind(");
  await expect(printkPane(page)).toContainText("server:bind ok!");
  await expect(printkPane(page)).not.toContainText("server:listen ok!");

  await test.step("the keys , . and L do the same", async () => {
    await page.locator("body").click({ position: { x: 5, y: 5 } });
    await page.keyboard.press(".");
    await expect(currentLine(page, "server.c")).toContainText("sock->ops->listen(");
    await page.keyboard.press(",");
    await expect(currentLine(page, "server.c")).toContainText("sock->ops->bind(");
    await page.keyboard.press("l");
    await expect(currentLine(page, "server.c")).toContainText("sock->ops->accept(");
    await expect(live).toHaveAttribute("aria-disabled", "true");
  });

  await back.click();
  await forward.click();
  await expect(currentLine(page, "server.c")).toContainText("sock->ops->accept(");
  await expect(live).toHaveAttribute("aria-disabled", "true");
  await page.keyboard.press("?");
  const dialog = page.getByRole("dialog", { name: "Keyboard shortcuts" });
  await expect(dialog).toContainText("Step back");
  await expect(dialog).toContainText("Go to live");
  await page.keyboard.press("Escape");
});

test("the theme follows the system until the learner picks one, and the pick is remembered", async ({
  page,
}) => {
  await page.emulateMedia({ colorScheme: "dark" });
  await openLab(page);
  const theme = () => page.evaluate(() => document.documentElement.dataset.theme);
  const toggle = page.getByRole("button", { name: "Dark theme" });
  expect(await theme()).toBe("dark");
  await expect(toggle).toHaveAttribute("aria-pressed", "true");
  await toggle.click();
  expect(await theme()).toBe("light");
  await page.reload();
  await expect(page.getByRole("button", { name: "Dark theme" })).toHaveAttribute("aria-pressed", "false");
  expect(await theme()).toBe("light");
});

test("a split moved with the keyboard is remembered after a reload", async ({ page }) => {
  await openLab(page);
  const separator = page.getByRole("separator", { name: "Resize the code and the dock" });
  const dockHeight = () =>
    page
      .getByRole("tablist", { name: "Views of the run" })
      .evaluate((tabs) => tabs.parentElement?.getBoundingClientRect().height ?? 0);
  const before = await dockHeight();
  await separator.focus();
  for (let i = 0; i < 4; i++) await page.keyboard.press("ArrowUp");
  await expect.poll(dockHeight).toBeGreaterThan(before + 20);
  const moved = await dockHeight();
  await page.reload();
  await expect(page.getByRole("tablist", { name: "Views of the run" })).toBeVisible();
  await expect.poll(dockHeight).toBeGreaterThan(moved - 3);
  await expect.poll(dockHeight).toBeLessThan(moved + 3);
});
