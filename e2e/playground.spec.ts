import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import type { Page } from "@playwright/test";
import { detectRealKernel } from "../server/realKernel/availability.ts";
import { expect, moduleState, openLab, printkPane, showDockTab, test } from "./fixtures.ts";
import { axeScan } from "./axeScan.ts";

const availability = detectRealKernel();
const hasBwrap = (() => {
  try {
    execFileSync("bwrap", ["--version"], { stdio: "pipe" });
    return true;
  } catch {
    return false;
  }
})();
// A build on this shared 2-core machine can take most of a minute while other suites run.
const BUILD_MS = 120_000;
const HOST_TEXT = ["root:x:0:0", readFileSync("/etc/passwd", "utf8").split("\n")[0] ?? "root:", "PATH=/"];

/** openLab with room for the first page of a server that is still starting on a loaded machine. */
async function openLabPatiently(page: Page) {
  await page.goto("/?pace=instant");
  await expect(page.getByText(/connected · your lab uses port \d+/)).toBeVisible({ timeout: 30_000 });
}

/** The playground tab with server.c in the editor, its text back to the fixed listing. */
async function openPlayground(page: Page) {
  await showDockTab(page, "Your module");
  await expect(page.getByRole("textbox", { name: "server.c, your C" })).toBeVisible();
  await page.getByRole("combobox", { name: "Start from" }).selectOption("fixed");
  const revert = page.getByRole("button", { name: "Revert to fixed" });
  if (await revert.isEnabled()) await revert.click();
}

/** Types `text` as new first lines of the module in the editor. */
async function prepend(page: Page, text: string) {
  // The first line, not the editor's middle: the editor is as tall as the module and scrolls in its
  // pane, so its centre lies outside the pane.
  await page.locator(".cm-line").first().click();
  await page.keyboard.press("Control+Home");
  await page.keyboard.insertText(text);
}

async function build(page: Page, outcome: RegExp) {
  await page.getByRole("button", { name: "Build", exact: true }).click();
  await expect(page.locator(".build-status")).toHaveText(outcome, { timeout: BUILD_MS });
}

test.describe("the playground", () => {
  test.skip(!availability.ok || !hasBwrap, "needs the real-kernel packages and bubblewrap");
  test.setTimeout(6 * 60_000);

  test("a compile error shows on its line with gcc's message, in the editor and the build log, and the edit survives a reload", async ({
    page,
  }) => {
    await openLabPatiently(page);
    await openPlayground(page);
    await test.step("an expression missing on line 1: gcc's error is marked there", async () => {
      await prepend(page, "int learner_broken = ;\n");
      await expect(page.getByRole("button", { name: /server\.c · edited/ })).toBeVisible();
      await build(page, /Build failed \([\d.]+ s\): gcc's messages are on their lines/);
      const diagnostics = page.getByRole("list", { name: "gcc's diagnostics" });
      await expect(diagnostics.locator('[data-line="1"]').first()).toContainText(
        "server.c:1:22: error: expected expression before ';' token",
      );
      await expect(page.locator(".cm-line").first().locator(".cm-lintRange-error")).toBeVisible();
    });
    await test.step("axe finds nothing serious in the playground with its marks", async () => {
      const results = await axeScan(page, ".playground");
      const serious = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
      expect(serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`)).toEqual([]);
    });
    await test.step("the build log says the same in gcc's words", async () => {
      await showDockTab(page, "Build log");
      await expect(page.locator(".build-log")).toContainText(
        "server.c:1:22: error: expected expression before ';' token",
      );
    });
    await test.step("the edited source is still there after a reload", async () => {
      await page.reload();
      await showDockTab(page, "Your module");
      await expect(page.locator(".cm-line").first()).toHaveText("int learner_broken = ;");
      await page.getByRole("button", { name: "Revert to fixed" }).click();
      await expect(page.getByRole("button", { name: /server\.c · edited/ })).toHaveCount(0);
    });
  });

  test("hostile includes are refused with nothing of the host on the page, and the app still serves another learner", async ({
    page,
    browser,
  }) => {
    await openLabPatiently(page);
    await openPlayground(page);
    for (const path of ["/etc/passwd", "/proc/self/environ"]) {
      await test.step(`#include "${path}" is not found in the sandbox`, async () => {
        await prepend(page, `#include "${path}"\n`);
        await build(page, /Build failed/);
        await expect(page.getByRole("list", { name: "gcc's diagnostics" })).toContainText(
          `server.c:1:10: error: ${path}: No such file or directory`,
        );
        await showDockTab(page, "Build log");
        const body = (await page.locator("body").textContent()) ?? "";
        for (const text of HOST_TEXT) expect(body).not.toContain(text);
        await showDockTab(page, "Your module");
        await page.getByRole("button", { name: "Revert to fixed" }).click();
      });
    }
    await test.step("another learner's lab still runs", async () => {
      const other = await browser.newPage();
      await openLab(other);
      await other.getByRole("button", { name: /Start server/ }).click();
      await expect(printkPane(other)).toContainText("server:listen ok!", { timeout: 20_000 });
      await other.close();
    });
  });

  test("the learner's edited server runs in the real kernel: its printk comes back from the guest with its line lit, and an exercise fails on the published listing and passes on the fix, judged from the guest", async ({
    page,
  }) => {
    test.setTimeout(8 * 60_000);
    const fixedServer = readFileSync("shared/listings/fixed/server.c", "utf8").split("\n");
    // Two lines added at the top move every line down by two: the lit line must be the build's.
    const editedLine = fixedServer.findIndex((l) => l.includes("server:listen ok!")) + 3;
    await openLabPatiently(page);
    await page.getByRole("button", { name: "Fixed (Linux 6.x)" }).click();
    await page.getByRole("button", { name: /Real kernel/ }).click();
    await openPlayground(page);
    const exercise = page.locator('[data-exercise="receive1024"] .exercise-verdict');
    await test.step("edit the fixed server's printk text and build it", async () => {
      // The unused static is W=1's -Wunused-variable: a warning on line 2, and the build still succeeds.
      await prepend(page, "/* my edit */\nstatic int learner_unused;\n");
      // By keys, not a click: CodeMirror renders only the lines in view, so the line may not be in the page.
      await page.keyboard.press("Control+Home");
      for (let line = 1; line < editedLine; line++) await page.keyboard.press("ArrowDown");
      // The caret's line is scrolled into view, so it is rendered now.
      await expect(page.locator(".cm-line").filter({ hasText: "server:listen ok!" })).toBeVisible();
      await page.keyboard.press("End");
      for (let i = 0; i < 5; i++) await page.keyboard.press("ArrowLeft");
      await page.keyboard.insertText(" (edited by me)");
      await build(page, /Built/);
    });
    await test.step("Start server runs the learner's build: its printk comes from the guest with its own line lit", async () => {
      await page.getByRole("button", { name: /Start server/ }).click();
      await expect(page.getByTestId("learner-build-server")).toContainText("Your build #1 of server.c");
      await expect(
        page.getByRole("note").filter({ hasText: "No TypeScript twin for edited code" }),
      ).toBeVisible();
      await showDockTab(page, "printk");
      await expect(printkPane(page)).toContainText("server:listen ok! (edited by me)", { timeout: 180_000 });
      const source = page.getByRole("region", { name: "server.c", exact: true });
      await expect(source.locator(".printed")).toHaveAttribute("data-line", String(editedLine));
      await expect(source.locator(".printed")).toContainText("(edited by me)");
    });
    await test.step("the shipped client sends its 1024 bytes: the exercise passes on the learner's build, from the guest's kernel_recvmsg", async () => {
      await page.getByRole("button", { name: /Start client/ }).click();
      await showDockTab(page, "Your module");
      await expect(exercise).toHaveText("passes", { timeout: 60_000 });
      await expect(page.locator('[data-exercise="receive1024"] pre')).toContainText(
        "kernel_recvmsg returned 1024",
      );
      await expect(page.locator(".exercises-run")).toContainText("your build #1");
    });
    if (process.env.PLAYGROUND_SCREENSHOT) {
      // docs/images/playground.png: the editor with gcc's warning and the run of the learner's build.
      await page.setViewportSize({ width: 1440, height: 900 });
      await page.locator(".cm-line").nth(1).scrollIntoViewIfNeeded();
      await page.screenshot({ path: process.env.PLAYGROUND_SCREENSHOT });
    }
    await test.step("the published pair in a fresh VM: the exercise fails, with the guest's oops as its evidence", async () => {
      await page.getByRole("button", { name: /Stop client/ }).click();
      await page.getByRole("button", { name: /Stop server/ }).click();
      await expect(moduleState(page, "server")).toHaveText("not loaded", { timeout: 60_000 });
      // A fresh VM: this one still holds the lab port in TIME_WAIT from the run above, and the
      // published server sets no SO_REUSEADDR (its bind would get -98, as it would on a real machine).
      await page.getByRole("button", { name: "Power off VM" }).click();
      await page.getByRole("button", { name: "As published" }).click();
      await page.getByRole("button", { name: /Start server/ }).click();
      await page.getByRole("button", { name: /Start client/ }).click();
      // The oops opens its own dock tab when it lands; the verdict is read in Your module after it.
      // The published pair can oops twice (the server in sock_recvmsg, then the client's data in
      // __wake_up_common), and the second oops opens its tab again over Your module: Your module is
      // shown again until the verdict is read there.
      await expect(page.getByRole("tab", { name: /^Oops/ })).toBeVisible({ timeout: 60_000 });
      await expect(async () => {
        await showDockTab(page, "Your module");
        await expect(exercise).toHaveText("fails", { timeout: 2_000 });
      }).toPass({ timeout: 60_000 });
      await expect(page.locator('[data-exercise="receive1024"] pre')).toContainText(/BUG|oops|Oops/);
      await expect(page.locator(".exercises-run")).toContainText("a shipped listing");
    });
  });
});
