import { readFile } from "node:fs/promises";
import type { Page } from "@playwright/test";
import { UI_EN } from "../client/src/i18n/locales/en.ts";
import { currentLine, expect, moduleState, openLab, printkPane, test } from "./fixtures.ts";

/** The timeline's slider, in the transport beside the listings. */
const slider = (page: Page) =>
  page
    .getByRole("region", { name: UI_EN.transport.region })
    .getByRole("slider", { name: UI_EN.timeline.slider });

/** What the learner sees at one moment: the log, and the lit line of each listing. */
async function seenAt(page: Page, index: number) {
  await slider(page).fill(String(index));
  await expect(slider(page)).toHaveValue(String(index));
  const lit = async (file: string) => {
    const line = currentLine(page, file);
    return (await line.count()) === 0 ? "" : ((await line.first().getAttribute("data-line")) ?? "");
  };
  return {
    printk: await settledLog(page),
    server: await lit("server.c"),
    client: await lit("client.c"),
  };
}

/**
 * The log once xterm has drawn it: it redraws a frame or more after a pick, so the text is read when
 * two reads apart agree (and it is not blank: every moment read here has printed).
 */
async function settledLog(page: Page): Promise<string> {
  let before: string | null = null;
  await expect
    .poll(async () => {
      const now = (await printkPane(page).textContent()) ?? "";
      const settled = now === before && now.trim() !== "";
      before = now;
      return settled;
    })
    .toBe(true);
  return before ?? "";
}

async function exportRun(page: Page): Promise<string> {
  const download = page.waitForEvent("download");
  await page.getByRole("button", { name: UI_EN.runFile.export }).click();
  const path = await (await download).path();
  return readFile(path, "utf8");
}

test("an exported run reopened in a fresh tab shows the same log and lines at three moments, read-only", async ({
  page,
  context,
}) => {
  await openLab(page);
  await page.getByRole("button", { name: "Start server" }).click();
  await page.getByRole("button", { name: "Start client" }).click();
  await expect(moduleState(page, "server")).toHaveText("loaded");
  await page.getByRole("button", { name: "Stop client" }).click();
  await expect(moduleState(page, "client")).toHaveText("not loaded");
  const text = await exportRun(page);
  const file = JSON.parse(text);
  expect(file).toMatchObject({
    format: "kernel-socket-lab/run",
    version: 1,
    variant: "published",
    engine: "node",
  });
  expect(file.appVersion).toMatch(/^\d+\.\d+\.\d+/);
  const total = file.events.length as number;
  const moments = [3, Math.floor(total / 2), total - 2];
  const original = [];
  for (const index of moments) original.push(await seenAt(page, index));
  expect(original[0]?.printk).not.toEqual(original[2]?.printk);

  const fresh = await context.newPage();
  try {
    await openLab(fresh);
    await fresh.getByLabel(UI_EN.runFile.pick).setInputFiles({
      name: "run.json",
      mimeType: "application/json",
      buffer: Buffer.from(text),
    });
    const banner = fresh.getByRole("status").filter({ hasText: "Recorded run of" });
    await expect(banner).toContainText("As published");
    await expect(banner).toContainText("Node lab");
    for (const [i, index] of moments.entries()) expect(await seenAt(fresh, index)).toEqual(original[i]);
    // The fresh tab's own lab was not touched: nothing loaded, and its controls say so.
    await expect(moduleState(fresh, "server")).toHaveText("not loaded");
    await banner.getByRole("button", { name: UI_EN.runFile.close }).click();
    await expect(banner).toHaveCount(0);
    await expect(printkPane(fresh)).not.toContainText("server init:");
  } finally {
    await fresh.close();
  }
});

test("five bad files are refused with a reason, and nothing changes", async ({ page }) => {
  await openLab(page);
  await page.getByRole("button", { name: "Start client" }).click();
  await expect(moduleState(page, "client")).toHaveText("failed (-111)");
  const good = JSON.parse(await exportRun(page));
  const before = (await printkPane(page).textContent()) ?? "";
  const timelineBefore = await slider(page).getAttribute("max");

  const bad: { name: string; body: string | Buffer; says: string }[] = [
    { name: "huge.json", body: Buffer.alloc(5 * 1024 * 1024 + 1, " "), says: "at most 5 MiB" },
    { name: "cut.json", body: '{"format": "kernel-socket-lab/run", "events": [', says: "not JSON" },
    {
      name: "package.json",
      body: JSON.stringify({ name: "left-pad", version: "1.3.0" }),
      says: "not a run file",
    },
    { name: "future.json", body: JSON.stringify({ ...good, version: 2 }), says: "newer version" },
    {
      name: "tampered.json",
      body: JSON.stringify({ ...good, events: [{ ...good.events[0], seq: "one" }] }),
      says: "does not match the run file format",
    },
  ];
  for (const file of bad) {
    await page.getByLabel(UI_EN.runFile.pick).setInputFiles({
      name: file.name,
      mimeType: "application/json",
      buffer: Buffer.isBuffer(file.body) ? file.body : Buffer.from(file.body),
    });
    const alert = page.getByRole("alert").filter({ hasText: UI_EN.runFile.refused });
    await expect(alert, file.name).toContainText(file.says);
    await expect(page.getByRole("status").filter({ hasText: "Recorded run of" })).toHaveCount(0);
    expect(await printkPane(page).textContent()).toBe(before);
    await expect(slider(page)).toHaveAttribute("max", timelineBefore ?? "");
    await alert.getByRole("button", { name: UI_EN.notices.dismiss }).click();
  }
});

test("a run file dropped on the run buttons opens like one picked", async ({ page }) => {
  await openLab(page);
  await page.getByRole("button", { name: "Start client" }).click();
  await expect(moduleState(page, "client")).toHaveText("failed (-111)");
  const text = await exportRun(page);
  await page.getByRole("button", { name: "Reset the lab" }).first().click();
  const dropped = await page.evaluateHandle((body) => {
    const transfer = new DataTransfer();
    transfer.items.add(new File([body], "run.json", { type: "application/json" }));
    return transfer;
  }, text);
  const target = page.getByRole("group", { name: UI_EN.runFile.group });
  await target.dispatchEvent("dragover", { dataTransfer: dropped });
  await target.dispatchEvent("drop", { dataTransfer: dropped });
  await expect(page.getByRole("status").filter({ hasText: "Recorded run of" })).toBeVisible();
  await expect(printkPane(page)).toContainText("client:connect error!");
});
