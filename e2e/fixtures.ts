import { test as base, expect, type Locator, type Page } from "@playwright/test";

/** Every e2e test fails on a console error or an uncaught page error. */
export const test = base.extend<{ failOnConsoleErrors: undefined }>({
  failOnConsoleErrors: [
    async ({ page }, use) => {
      const problems: string[] = [];
      page.on("console", (message) => {
        if (message.type() === "error") problems.push(`console.error: ${message.text()}`);
      });
      page.on("pageerror", (error) => problems.push(`pageerror: ${error.message}`));
      await use(undefined);
      expect(problems).toEqual([]);
    },
    { auto: true },
  ],
});
export { expect };

/** The printk pane's text as a person sees it: xterm's DOM renderer keeps the rows in .xterm-rows. */
export function printkPane(page: Page): Locator {
  return page.getByRole("region", { name: "printk" }).locator(".xterm-rows");
}

/**
 * The printk pane's whole log, as a person reads it by scrolling: xterm's DOM renderer keeps only the
 * rows on screen, so a long record (the received 1024 bytes) pushes earlier lines out of .xterm-rows.
 * Scrolls the pane to its first line with the mouse wheel, reads a screen at a time down to the
 * last one, and leaves the pane at its end.
 */
export async function printkLog(page: Page): Promise<string> {
  const region = page.getByRole("region", { name: "printk" });
  const rows = region.locator(".xterm-rows");
  const twoFrames = () =>
    page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
  await region.locator(".xterm-screen").hover();
  await page.mouse.wheel(0, -1_000_000);
  await twoFrames();
  const screens: string[] = [];
  for (let i = 0; i < 500; i++) {
    const screen = (await rows.textContent()) ?? "";
    if (screen === screens.at(-1)) break;
    screens.push(screen);
    await page.mouse.wheel(0, 200);
    await twoFrames();
  }
  await page.mouse.wheel(0, 1_000_000);
  return screens.join("");
}

export function listing(page: Page, file: string): Locator {
  return page.getByRole("region", { name: file, exact: true });
}

export function currentLine(page: Page, file: string): Locator {
  return listing(page, file).locator('[aria-current="step"]');
}

/** The labels' visible state words for one module ("loaded", "failed (-111)"). */
export function moduleState(page: Page, module: "server" | "client"): Locator {
  return page.getByRole("region", { name: `${module} module` }).locator(".module-state .state-words");
}

/**
 * Opens a fresh lab. The display shows events at once (?pace=instant) unless a spec asks for the
 * human pace the app defaults to; lesson.spec.ts covers that default.
 */
export async function openLab(page: Page, query = "?pace=instant"): Promise<void> {
  await page.goto(`/${query}`);
  await expect(page.getByText(/connected · your lab uses port \d+/)).toBeVisible();
}

/** Opens one tab of the dock (printk, Socket states, Sequence, Bytes received, Timeline): its pane is shown. */
export async function showDockTab(page: Page, name: string): Promise<void> {
  const tab = page.getByRole("tablist").getByRole("tab", { name, exact: false }).first();
  await tab.click();
  await expect(tab).toHaveAttribute("aria-selected", "true");
}

/**
 * The timeline is a virtual list: only the entries in view are on the page. Scroll it to the
 * session's first event with the mouse wheel, as a person looking for an early moment would.
 */
export async function scrollTimelineToStart(timeline: Locator): Promise<void> {
  const list = timeline.locator(".timeline-events");
  await list.hover();
  await timeline.page().mouse.wheel(0, -1_000_000);
  await expect.poll(() => list.evaluate((element) => element.scrollTop)).toBe(0);
}

/**
 * Opens the setup strip's kernel menu, where a wide screen keeps the release picker, its edits and
 * the diff between releases (the strip is one row). Leaves it open if it is.
 */
export async function openKernelMenu(page: Page): Promise<void> {
  const button = page.getByRole("button", { name: /^Kernel \d/ });
  if ((await button.getAttribute("aria-expanded")) !== "true") await button.click();
  await expect(button).toHaveAttribute("aria-expanded", "true");
}
