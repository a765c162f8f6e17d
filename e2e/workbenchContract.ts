import type { Page } from "@playwright/test";
import type { ModuleName } from "../shared/protocol/steps.ts";
import { expect } from "./fixtures.ts";

/*
 * The workbench contract, on either engine (workbench.spec.ts for the Node lab, realKernelWorkbench.spec.ts
 * for the real kernel): at every step, each lit line and printk's last row are what the screen shows.
 */

const LISTINGS = ["server.c", "serverModule.ts", "client.c", "clientModule.ts"] as const;

/**
 * Every shown listing's current line, and the printk pane's last row: is each one what the screen
 * shows at its centre (document.elementFromPoint), so neither scrolled away nor under another pane?
 * A module collapsed to its header row by the focus layout shows no listing, so none is checked there.
 */
export async function onScreen(page: Page): Promise<{ file: string; visible: boolean }[]> {
  return page.evaluate((files) => {
    const shown = (element: Element, inside: Element) => {
      const box = element.getBoundingClientRect();
      const hit = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
      return hit !== null && inside.contains(hit);
    };
    const checks: { file: string; visible: boolean }[] = [];
    for (const file of files) {
      const line = document.querySelector(`section[aria-label="${file}"] [aria-current="step"]`);
      if (line && !line.closest(".collapsed")) checks.push({ file, visible: shown(line, line) });
    }
    const printk = document.querySelector('section[aria-label="printk"]');
    const lastRow = printk?.querySelector(".xterm-rows > :last-child");
    checks.push({ file: "printk", visible: Boolean(printk && lastRow && shown(lastRow, printk)) });
    return checks;
  }, LISTINGS);
}

/**
 * How many C lines the module's listing shows whole: rows (data-line) inside its scroller's box that
 * are what the screen shows at their left edge, so not under another pane.
 */
export async function cLinesInView(page: Page, module: ModuleName): Promise<number> {
  return page.evaluate((file) => {
    const scroller = document.querySelector(`section[aria-label="${file}"] .listing-scroll`);
    if (!scroller || scroller.closest(".collapsed")) return 0;
    const box = scroller.getBoundingClientRect();
    let whole = 0;
    for (const row of scroller.querySelectorAll("[data-line]")) {
      const r = row.getBoundingClientRect();
      if (r.top < box.top - 0.5 || r.bottom > box.bottom + 0.5 || r.height === 0) continue;
      const hit = document.elementFromPoint(r.left + 4, r.top + Math.min(8, r.height / 2));
      if (hit && row.contains(hit)) whole++;
    }
    return whole;
  }, `${module}.c`);
}

export type Tally = {
  checked: number;
  visible: number;
  missed: string[];
  fewestLines: number;
  lines: string[];
};

/**
 * Waits (briefly: the listing scrolls in the frame after the step) until all are on screen, and
 * counts; the module the lab just moved must show its two listings, and how many C lines (none is
 * asked for when no module has a lit line: a VM stopped by a panic unloads both).
 */
export async function check(
  page: Page,
  tally: Tally,
  moment: string,
  running: ModuleName | undefined,
): Promise<void> {
  let last: { file: string; visible: boolean }[] = [];
  await expect
    .poll(
      async () => {
        last = await onScreen(page);
        return last.every((c) => c.visible);
      },
      { timeout: 3000 },
    )
    .toBe(true)
    .catch(() => undefined);
  for (const c of last.filter((c) => c.file !== "printk")) {
    tally.checked++;
    if (c.visible) tally.visible++;
    else tally.missed.push(`${moment}: ${c.file}`);
  }
  if (!last.find((c) => c.file === "printk")?.visible) tally.missed.push(`${moment}: printk's last row`);
  if (running === undefined) return;
  for (const file of [`${running}.c`, `${running}Module.ts`]) {
    if (!last.some((c) => c.file === file)) tally.missed.push(`${moment}: ${file} not shown`);
  }
  const lines = await cLinesInView(page, running);
  tally.lines.push(`${moment}: ${lines}`);
  tally.fewestLines = Math.min(tally.fewestLines, lines);
}
