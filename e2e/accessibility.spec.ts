import type { Page } from "@playwright/test";
import { expect, moduleState, openLab, test } from "./fixtures.ts";
import { axeScan } from "./axeScan.ts";

const DOCK_TABS = ["printk", "Socket states", "Sequence", "Bytes received", "Timeline"] as const;

/** axe-core's serious and critical findings on the page as it is now, one line per node. */
// axe reads the whole page each time: on a loaded two-core machine a state takes seconds.
test.slow();

async function seriousViolations(page: Page, state: string, within?: string): Promise<string[]> {
  // `within` scopes a scan to what changed since the last whole-page scan (a dock tab's panel).
  const results = await axeScan(page, within);
  const found = results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .flatMap((v) =>
      v.nodes.map((node) => `${v.id}: ${node.target.join(" ")} — ${node.failureSummary ?? ""}`),
    );
  console.log(`axe ${state}: ${found.length} serious or critical`);
  test.info().annotations.push({ type: "axe", description: `${state}: ${found.length}` });
  return found;
}

async function fullRun(page: Page): Promise<void> {
  await page.getByRole("button", { name: /Start server/ }).click();
  await expect(moduleState(page, "server")).toHaveText("running — blocked in accept");
  await page.getByRole("button", { name: /Start client/ }).click();
  await expect(moduleState(page, "server")).toHaveText("loaded");
  await expect(moduleState(page, "client")).toHaveText("loaded");
}

for (const colorScheme of ["light", "dark"] as const) {
  test.describe(`at 1440×900 in the ${colorScheme} theme`, () => {
    test.use({ viewport: { width: 1440, height: 900 }, colorScheme });

    test("axe finds nothing serious on the start page, after a full run, in each dock tab and looking back", async ({
      page,
    }) => {
      await openLab(page);
      expect(await seriousViolations(page, `${colorScheme} start page`)).toEqual([]);
      await fullRun(page);
      expect(await seriousViolations(page, `${colorScheme} after a full run`)).toEqual([]);
      for (const name of DOCK_TABS) {
        await page.getByRole("tab", { name: new RegExp(`^${name}`) }).click();
        const scan = await seriousViolations(page, `${colorScheme} dock tab ${name}`, ".dock");
        expect(scan).toEqual([]);
      }
      await page.getByRole("button", { name: "Step back" }).click();
      expect(await seriousViolations(page, `${colorScheme} looking back`)).toEqual([]);
    });
  });
}

test.describe("in Chinese", () => {
  test.use({ viewport: { width: 1440, height: 900 } });

  test("axe finds nothing serious on the Chinese page, before and after a run", async ({ page }) => {
    await page.goto("/?lang=zh&pace=instant");
    await expect(page.getByText(/你的实验使用端口 \d+/)).toBeVisible();
    expect(await seriousViolations(page, "Chinese start page")).toEqual([]);
    await page.getByRole("button", { name: /启动服务器/ }).click();
    await page.getByRole("button", { name: /启动客户端/ }).click();
    const words = (module: string) =>
      page.getByRole("region", { name: `${module}模块` }).locator(".module-state .state-words");
    await expect(words("服务器")).toHaveText("已加载");
    await expect(words("客户端")).toHaveText("已加载");
    expect(await seriousViolations(page, "Chinese after a run")).toEqual([]);
  });
});

for (const colorScheme of ["light", "dark"] as const) {
  test.describe(`at 390×844 in the ${colorScheme} theme`, () => {
    test.use({ viewport: { width: 390, height: 844 }, colorScheme, hasTouch: true });

    test("axe finds nothing serious in any of the four views, before and after a run", async ({ page }) => {
      await openLab(page);
      for (const view of ["Lesson", "Code", "Log", "Kernel"]) {
        await page.getByRole("button", { name: view, exact: true }).click();
        expect(await seriousViolations(page, `390 ${colorScheme} ${view}`)).toEqual([]);
      }
      await page.getByRole("button", { name: "Code", exact: true }).click();
      await fullRun(page);
      expect(await seriousViolations(page, `390 ${colorScheme} after a run`)).toEqual([]);
    });
  });
}
