import { detectRealKernel } from "../server/realKernel/availability.ts";
import { readFile } from "node:fs/promises";
import {
  expect,
  listing,
  moduleState,
  openLab,
  printkPane,
  scrollTimelineToStart,
  showDockTab,
  test,
} from "./fixtures.ts";

const availability = detectRealKernel();

// A boot takes 2–20 s of software emulation depending on the machine's load.
const BOOT_MS = 90_000;

test.describe("Engines never mix", () => {
  test.skip(!availability.ok, "the real-kernel engine is not installed");
  test.setTimeout(240_000);

  test("switching to the real kernel mid-run ends the Node lab's run on screen; the Socket states tab then shows the guest's own sockets", async ({
    page,
  }) => {
    await openLab(page);
    await page.getByRole("button", { name: /Fixed/ }).click();
    await page.getByRole("button", { name: /Start server/ }).click();
    await expect(moduleState(page, "server")).toHaveText("loaded");
    await expect(listing(page, "server.c").locator('[aria-current="step"]')).toHaveCount(1);

    await page.getByRole("button", { name: /Real kernel/ }).click();
    await expect(page.getByRole("button", { name: /Real kernel/ })).toHaveAttribute("aria-pressed", "true");
    // Nothing of the Node lab's run is left: the module not loaded, no lit line, and the log says why.
    // (The module's words then tell how far the VM is: the real kernel boots as soon as it is picked.)
    await expect(moduleState(page, "server")).not.toHaveText("loaded");
    await expect(moduleState(page, "server")).not.toContainText("accept");
    await expect(listing(page, "server.c").locator('[aria-current="step"]')).toHaveCount(0);
    await expect(printkPane(page)).toContainText(
      "[Node lab run ended, its sockets closed: switched to the real kernel]",
    );
    await showDockTab(page, "Socket states");
    const sockets = page.getByRole("tabpanel");
    await expect(sockets.getByRole("table")).toHaveCount(0);

    // The real kernel's server: its listener is the guest's, on the listings' own port 0x8888 = 34952.
    await page.getByRole("button", { name: /Start server/ }).click();
    await expect(moduleState(page, "server")).toHaveText("loaded", { timeout: BOOT_MS });
    const listener = sockets.getByRole("row").filter({ hasText: "LISTEN" });
    await expect(listener).toContainText("127.0.0.1:34952", { timeout: 20_000 });

    await test.step("the timeline heads each run with its own engine, listing and clock", async () => {
      await showDockTab(page, "Timeline");
      const timeline = page.getByRole("region", { name: "Timeline" });
      await scrollTimelineToStart(timeline);
      await expect(timeline.locator(".timeline-run").first()).toHaveText(
        "Node lab, Fixed (Linux 6.x) — times since this Node lab started",
      );
      const list = timeline.locator(".timeline-events");
      await list.hover();
      await page.mouse.wheel(0, 1_000_000);
      await expect(timeline.locator(".timeline-run").last()).toHaveText(
        /^Real kernel( \(Linux \S+\))?, Fixed \(Linux 6\.x\) — times on this VM's clock$/,
      );
    });

    await test.step("an export of the session, opened, is labelled run by run, not by the engine used last", async () => {
      const download = page.waitForEvent("download");
      await page.getByRole("button", { name: "Export run" }).click();
      const text = await readFile(await (await download).path(), "utf8");
      const events = JSON.parse(text).events as { engine?: string; run?: number }[];
      // Every event carries its engine and run; the two engines' runs are two numbers.
      expect(events.every((e) => e.engine !== undefined && e.run !== undefined)).toBe(true);
      expect(new Set(events.filter((e) => e.engine === "node").map((e) => e.run)).size).toBe(1);
      await page.getByLabel("Run file to open").setInputFiles({
        name: "run.json",
        mimeType: "application/json",
        buffer: Buffer.from(text),
      });
      await expect(page.getByRole("status").filter({ hasText: "Recorded session of" })).toContainText(
        /2 runs: Node lab, Fixed \(Linux 6\.x\); Real kernel( \(Linux \S+\))?, Fixed \(Linux 6\.x\)\./,
      );
    });
  });
});
