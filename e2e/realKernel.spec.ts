import { realKernelForTests } from "../test/helpers/realKernelRequirement.ts";
import type { Page } from "@playwright/test";
import { expect, listing, moduleState, openLab, printkPane, test } from "./fixtures.ts";

const availability = realKernelForTests();
const MODULE_FRAME = /my(server|client)\S*\+0x[0-9a-f]+ → (server|client)\.c line \d+/;

/** The newest oops whose call trace links a frame of a lab module to its line. */
function oopsWithModuleFrame(page: Page) {
  return page
    .getByRole("region", { name: "Kernel oops" })
    .filter({ has: page.getByRole("button", { name: MODULE_FRAME }) })
    .first();
}

test("Real kernel runs the published C pair in a VM: real printk, then a real oops linked to the listing", async ({
  page,
}) => {
  test.skip(!availability.ok, `the real-kernel engine is not installed: run ${availability.installCommand}`);
  await openLab(page);

  await test.step("switch to the real kernel", async () => {
    await page.getByRole("button", { name: /Real kernel/ }).click();
    await expect(page.getByRole("button", { name: /Real kernel/ })).toHaveAttribute("aria-pressed", "true");
    // The VM boots as soon as the real kernel is picked, so it may already be on its way, or up.
    await expect(
      page.getByText(
        /Real kernel( [\d.]+-\S+)?: (ready to boot a VM|building the modules|booting the VM|VM running)/,
      ),
    ).toBeVisible();
    await expect(page.getByText(/Built with 4 edits/)).toBeVisible();
    // Step mode works here too, by pausing the whole VM (realKernelStep.spec.ts): the switch says how.
    const stepMode = page.getByRole("button", { name: "Step mode" });
    await expect(stepMode).toHaveAttribute("aria-pressed", "false");
    await expect(stepMode).toHaveAccessibleDescription(/stops the whole VM before each call/);
  });

  await test.step("start the server: the VM boots and the module's printk arrives with the kernel's timestamps", async () => {
    await page.getByRole("button", { name: /Start server/ }).click();
    await expect(page.getByText(/VM running/)).toBeVisible({ timeout: 45_000 });
    const pane = printkPane(page);
    await expect(pane).toContainText(/\[\s+\d+\.\d{6}\] server init:/, { timeout: 20_000 });
    await expect(pane).toContainText("server:listen ok!");
    // The kernel's boot records are there, folded into one line the learner can open.
    await expect(pane).toContainText(/Linux \S+ booted: \d+ records folded away/);
    await expect(
      page.getByRole("button", { name: /Show the kernel's boot log \(\d+ records\)/ }),
    ).toHaveAttribute("aria-pressed", "false");
    await expect(moduleState(page, "server")).not.toHaveText("not loaded");
  });

  await test.step("start the client: the kmalloc'd client_sock oopses the kernel", async () => {
    await page.getByRole("button", { name: /Start client/ }).click();
    const oops = page.getByRole("region", { name: "Kernel oops" }).first();
    await expect(oops).toBeVisible({ timeout: 20_000 });
    // In sock_recvmsg as a rule; in __wake_up_common when the client's data wins the race (a loaded machine).
    await expect(oops.getByRole("heading")).toContainText(/sock_recvmsg|__wake_up_common/);
    // Both may oops, newest first: the client's data in __wake_up_common runs in softirq context, so
    // its call trace may hold no frame of a module. The server's sock_recvmsg oops always does.
    await expect(oopsWithModuleFrame(page)).toBeVisible();
    await expect(oopsWithModuleFrame(page).locator(".oops-text")).toContainText(
      "BUG: kernel NULL pointer dereference",
    );
  });

  await test.step("pick the module's frame in the call trace: the line of its call, found in the module's debug information, is marked, in view, and announced", async () => {
    const oops = oopsWithModuleFrame(page);
    const link = oops
      .getByRole("button", { name: /my(server|client)\S*\+0x[0-9a-f]+ → (server|client)\.c line \d+, \S+/ })
      .first();
    const [, symbol, file, line, call] =
      /^(\S+) → (\S+\.c) line (\d+), (\S+)$/.exec((await link.textContent()) ?? "") ?? [];
    await link.click();
    const row = listing(page, file as string).locator(`[data-line="${line}"]`);
    await expect(row).toHaveAttribute("data-marked", "shown");
    // The call the module made when it faulted (kernel_recvmsg as a rule), not the function's first line.
    await expect(row).toContainText(`${call}(`);
    await expect(row).toBeInViewport();
    await expect(oops.getByRole("status")).toHaveText(`${symbol} is marked at ${file} line ${line}.`);
  });
});
