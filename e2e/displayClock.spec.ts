import { readFile } from "node:fs/promises";
import type { Page } from "@playwright/test";
import { UI_EN } from "../client/src/i18n/locales/en.ts";
import { currentLine, expect, moduleState, openLab, printkPane, test } from "./fixtures.ts";

/**
 * What the learner sees of the moment shown: each listing's lit line and its tone, the modules'
 * states at that moment, and the log. Read twice a frame apart until both reads agree (xterm and
 * the listings redraw a frame or more after a pick).
 */
async function onScreen(page: Page): Promise<string> {
  const read = () =>
    page.evaluate(() => {
      const lit = [...document.querySelectorAll('[aria-current="step"]')].map(
        (line) =>
          `${line.closest("[role=region][aria-label]")?.getAttribute("aria-label")}:${line.getAttribute("data-line")}:${line.className}`,
      );
      const status = document.querySelector(".transport [role=status]")?.textContent ?? "";
      const states = status.includes(":") ? status.slice(status.lastIndexOf(":")) : status;
      const log = document.querySelector(".xterm-rows")?.textContent ?? "";
      return JSON.stringify({ lit, states, log });
    });
  let before = "";
  await expect
    .poll(async () => {
      const now = await read();
      const settled = now === before;
      before = now;
      return settled;
    })
    .toBe(true);
  return before;
}

async function exportRun(page: Page): Promise<string> {
  const download = page.waitForEvent("download");
  await page.getByRole("button", { name: UI_EN.runFile.export }).click();
  return readFile(await (await download).path(), "utf8");
}

test("Step back pressed several times in a row changes what is shown at each press, back to the run's first event", async ({
  page,
}) => {
  // Some thirty presses, each read until the screen settles.
  test.setTimeout(180_000);
  await openLab(page);
  await page.getByRole("button", { name: "Start server" }).click();
  await page.getByRole("button", { name: "Start client" }).click();
  await expect(moduleState(page, "server")).toHaveText("loaded");
  await expect(moduleState(page, "client")).toHaveText("loaded");
  await page.getByRole("button", { name: "Stop client" }).click();
  await page.getByRole("button", { name: "Stop server" }).click();
  await expect(moduleState(page, "server")).toHaveText("not loaded");
  const back = page.getByRole("button", { name: "Step back" });
  let shown = await onScreen(page);
  let presses = 0;
  while ((await back.getAttribute("aria-disabled")) !== "true") {
    await back.click();
    presses++;
    const before = shown;
    await expect.poll(() => onScreen(page), { message: `press ${presses}` }).not.toBe(before);
    shown = await onScreen(page);
    expect(presses).toBeLessThan(60);
  }
  // A whole run of both modules is more than a dozen kernel calls.
  expect(presses).toBeGreaterThan(12);
});

test("an opened run shows its last moment with a lit line at once, without stepping back", async ({
  page,
}) => {
  await openLab(page);
  await page.getByRole("button", { name: "Start server" }).click();
  await page.getByRole("button", { name: "Start client" }).click();
  await expect(moduleState(page, "server")).toHaveText("loaded");
  await page.getByRole("button", { name: "Reset the lab" }).first().click();
  await expect(moduleState(page, "server")).toHaveText("not loaded");
  await expect(moduleState(page, "client")).toHaveText("not loaded");
  // The live lab ends unloaded: no line is lit.
  await expect(page.locator('[aria-current="step"]')).toHaveCount(0);
  const text = await exportRun(page);

  await page.getByLabel(UI_EN.runFile.pick).setInputFiles({
    name: "run.json",
    mimeType: "application/json",
    buffer: Buffer.from(text),
  });
  await expect(page.getByRole("status").filter({ hasText: "Recorded run of" })).toBeVisible();
  // The run's last call (the client's kernel_sendmsg: the reset unloads the server first) is lit,
  // and the log has printed up to it.
  const lit = page.locator('[aria-current="step"]');
  await expect(lit.first()).toBeVisible();
  await expect(currentLine(page, "client.c")).toContainText("kernel_sendmsg");
  await expect(printkPane(page)).toContainText("client:connect ok!");
  // The rest of the run is one press away.
  await page.getByRole("button", { name: "Step forward" }).click();
  await expect(page.locator('[aria-current="step"]')).toHaveCount(0);
});

test("Reset the lab at Slow speed shows the reset at once: the display does not play the reset's own calls one a second", async ({
  page,
}) => {
  // Counts animation frames, and notes the frame each module's unloading reached the page in.
  await page.addInitScript(() => {
    const clock = { frame: 0, unloaded: [] as number[], shownAt: null as number | null, watching: false };
    Object.assign(window, { __clock: clock });
    const tick = () => {
      clock.frame++;
      if (clock.watching && clock.shownAt === null) {
        const states = [...document.querySelectorAll(".module-state .state-words")].map((s) => s.textContent);
        if (states.length === 2 && states.every((words) => words === "not loaded"))
          clock.shownAt = clock.frame;
      }
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
    const Native = window.WebSocket;
    window.WebSocket = class extends Native {
      constructor(...args: ConstructorParameters<typeof WebSocket>) {
        super(...args);
        this.addEventListener("message", (message) => {
          const data = String(message.data);
          if (data.includes('"module.state"') && data.includes('"unloaded"'))
            clock.unloaded.push(clock.frame);
        });
      }
    };
  });
  await openLab(page, "?pace=slow");
  // The fixed server's exit makes calls of its own (shutdown, release): the reset is a few calls long.
  await page.getByRole("button", { name: "Fixed (Linux 6.x)" }).click();
  await expect(page.getByRole("button", { name: "Fixed (Linux 6.x)" })).toHaveAttribute(
    "aria-pressed",
    "true",
  );
  await page.getByRole("button", { name: "Start server" }).click();
  // The display plays the run a call a second: it is still playing when Reset is pressed.
  await expect(page.locator('[aria-current="step"]').first()).toBeVisible();
  await page.evaluate(() => {
    (window as unknown as { __clock: { watching: boolean } }).__clock.watching = true;
  });
  await page.getByRole("button", { name: "Reset the lab" }).first().click();
  await expect(moduleState(page, "server")).toHaveText("not loaded");
  await expect(moduleState(page, "client")).toHaveText("not loaded");
  const seen = await page.evaluate(
    () => (window as unknown as { __clock: { unloaded: number[]; shownAt: number | null } }).__clock,
  );
  expect(seen.unloaded.length).toBeGreaterThanOrEqual(1);
  expect(seen.shownAt).not.toBeNull();
  // Shown within a few frames of the last unloading arriving; a Slow beat is a second (~60 frames).
  expect((seen.shownAt ?? 0) - (seen.unloaded.at(-1) ?? 0)).toBeLessThanOrEqual(5);
  await expect(page.locator('[aria-current="step"]')).toHaveCount(0);
});
