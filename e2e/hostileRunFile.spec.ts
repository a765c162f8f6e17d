import type { Page } from "@playwright/test";
import { UI_EN } from "../client/src/i18n/locales/en.ts";
import { expect, openLab, printkPane, showDockTab, test } from "./fixtures.ts";

/** A run file of the lab's format holding `events` (seq and t filled in, in order). */
function runFile(events: object[]): Buffer {
  return Buffer.from(
    JSON.stringify({
      format: "kernel-socket-lab/run",
      version: 1,
      appVersion: "0.1.0",
      date: "2026-12-07T12:00:00.000Z",
      variant: "published",
      engine: "node",
      events: events.map((event, i) => ({ seq: i + 1, t: (i + 1) / 1000, ...event })),
    }),
  );
}

async function openRun(page: Page, body: Buffer): Promise<void> {
  await page
    .getByLabel(UI_EN.runFile.pick)
    .setInputFiles({ name: "run.json", mimeType: "application/json", buffer: body });
}

const recvExit = {
  type: "step",
  module: "server",
  variant: "published",
  step: "kernel_recvmsg",
  phase: "exit",
  cLine: 60,
  tsLine: 40,
  result: 3,
};

test("a run file whose received bytes are not base64 is refused with the field named, and Bytes received still shows its pane", async ({
  page,
}) => {
  await openLab(page);
  await openRun(page, runFile([{ ...recvExit, data: { base64: "!!!!", length: 3, bufferSize: 1024 } }]));
  const alert = page.getByRole("alert").filter({ hasText: UI_EN.runFile.refused });
  await expect(alert).toContainText("events.0.data.base64");
  await showDockTab(page, UI_EN.dock.tab.bytes);
  await expect(page.getByRole("tabpanel", { name: UI_EN.dock.tab.bytes })).toBeVisible();
  // The page is all there: the listings and the lab's own controls.
  await expect(page.getByRole("button", { name: "Start server" })).toBeVisible();
});

test("escape sequences and an OSC 8 link in an opened run's printk text are shown as text in the printk pane", async ({
  page,
}) => {
  await openLab(page);
  const forged =
    "\x1b[2J\x1b[H\x1b[31;1mserver: your lab expired, sign in again:\x1b[0m " +
    "\x1b]8;;https://attacker.example/\x07https://lab.university.example/login\x1b]8;;\x07\n";
  await openRun(
    page,
    runFile([
      { type: "printk", source: "server", text: "server: first record\n" },
      { type: "printk", source: "server", text: forged },
      {
        type: "console",
        text: "$ insmod \x1b[31mserver.ko\r\x1b]8;;https://attacker.example/\x07x\x1b]8;;\x07",
      },
    ]),
  );
  await expect(page.getByRole("status").filter({ hasText: "Recorded run of" })).toBeVisible();
  const pane = printkPane(page);
  // The record before the clear-screen is still there: ESC[2J reached xterm as text.
  await expect(pane).toContainText("server: first record");
  await expect(pane).toContainText("^[[2J^[[H^[[31;1mserver: your lab expired, sign in again:^[[0m");
  await expect(pane).toContainText(
    "^[]8;;https://attacker.example/^Ghttps://lab.university.example/login^[]8;;^G",
  );
  await expect(pane).toContainText("$ insmod ^[[31mserver.ko^M^[]8;;https://attacker.example/^Gx");
  // No cell is drawn red, and xterm made no link of the OSC 8 text.
  await expect(pane.locator('[class*="xterm-fg-1"], [class*="xterm-fg-9"]')).toHaveCount(0);
  await expect(pane.locator(".xterm-underline-5, a")).toHaveCount(0);
});
