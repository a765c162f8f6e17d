import { realKernelForTests } from "../test/helpers/realKernelRequirement.ts";
import { expect, openLab, printkLog, printkPane, showDockTab, test } from "./fixtures.ts";

const availability = realKernelForTests();

// A boot under software emulation takes 2 s of a free core and many times that on a loaded machine.
const BOOT_MS = 90_000;
test.setTimeout(180_000);

/** Real kernel, the chosen listing, then Start server and Start client as fast as a hand clicks: within 200 ms. */
async function quickStart(
  page: import("@playwright/test").Page,
  variant: "As published" | "Fixed (Linux 6.x)",
) {
  await openLab(page);
  await page.getByRole("button", { name: /Real kernel/ }).click();
  await expect(page.getByRole("button", { name: /Real kernel/ })).toHaveAttribute("aria-pressed", "true");
  const choice = page.getByRole("button", { name: variant });
  await choice.click();
  await expect(choice).toHaveAttribute("aria-pressed", "true");
  const startServer = page.getByRole("button", { name: /Start server/ });
  const startClient = page.getByRole("button", { name: /Start client/ });
  await expect(startClient).toBeEnabled();
  // Playwright's own clicks take over a second each on a loaded machine, and a page timer of 50 ms
  // fired after 300 ms there: the page clicks both buttons itself, one right after the other (each
  // click's handler sends its frame at once), and measures the gap it really left.
  const server = await startServer.elementHandle();
  const client = await startClient.elementHandle();
  const gapMs = await page.evaluate(
    ([first, second]) => {
      const at = performance.now();
      (first as HTMLButtonElement).click();
      (second as HTMLButtonElement).click();
      return performance.now() - at;
    },
    [server, client],
  );
  expect(gapMs).toBeLessThan(200);
}

// Every run is traced: the debugger stops the server's load at each call, and a client insmod sent
// 200 ms later once overtook it and got -111. The guest runs insmods in the order sent (guestInOrder.ts).
test("Real kernel, fixed listing: Start server and Start client within 200 ms, while the VM boots, still accept and receive", async ({
  page,
}) => {
  test.skip(!availability.ok, `the real-kernel engine is not installed: run ${availability.installCommand}`);
  await quickStart(page, "Fixed (Linux 6.x)");
  const pane = printkPane(page);
  // The received record is the run's last line; once it is on screen, the whole run is in the log
  // (its 1024 bytes fill the pane, so the earlier lines are read by scrolling back).
  await expect(pane).toContainText(/server: receive message \(1024 bytes\)/, { timeout: BOOT_MS });
  const log = await printkLog(page);
  expect(log).toContain("server: accept ok, Connection Established");
  expect(log).not.toContain("rc=127");
  await expect(page.getByRole("region", { name: "Kernel oops" })).toHaveCount(0);
});

// The published server's insmod never returns (it blocks in accept): the client's starts once it sleeps there.
test("Real kernel, published listing: Start server and Start client within 200 ms, while the VM boots, still reach the oops", async ({
  page,
}) => {
  test.skip(!availability.ok, `the real-kernel engine is not installed: run ${availability.installCommand}`);
  await quickStart(page, "As published");
  const oops = page.getByRole("region", { name: "Kernel oops" }).first();
  await expect(oops).toBeVisible({ timeout: BOOT_MS });
  await expect(oops.locator(".oops-text")).toContainText("BUG: kernel NULL pointer dereference");
  // The oops opened its own dock tab; the shell's lines are in printk's.
  await showDockTab(page, "printk");
  await expect(printkPane(page)).toBeVisible();
  await expect(printkPane(page)).not.toContainText("rc=127");
});
