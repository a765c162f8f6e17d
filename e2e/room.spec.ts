import type { Page } from "@playwright/test";
import { expect, moduleState, openLab, scrollTimelineToStart, showDockTab, test } from "./fixtures.ts";

test.use({ viewport: { width: 1280, height: 720 } });

test("the module the lab moved last has the room, the learner can pick the other, and the code can be maximised and restored (button, M, Esc), remembered", async ({
  page,
}) => {
  await openLab(page);
  const server = page.locator(".module-panel", { has: page.getByRole("region", { name: "server module" }) });
  const client = page.locator(".module-panel", { has: page.getByRole("region", { name: "client module" }) });
  await page.getByRole("button", { name: "Step mode" }).click();
  await page.getByRole("button", { name: /Start server/ }).click();
  await expect(moduleState(page, "server")).toHaveText("running — paused before sock_create_kern");
  await expect(page.getByRole("region", { name: "server.c", exact: true })).toBeVisible();
  await expect(page.getByRole("region", { name: "client.c", exact: true })).toBeHidden();
  await expect(client.getByRole("button", { name: /Start client/ })).toBeVisible();

  await page.getByRole("button", { name: "Show client.c" }).click();
  await expect(page.getByRole("region", { name: "client.c", exact: true })).toBeVisible();
  await expect(page.getByRole("region", { name: "server.c", exact: true })).toBeHidden();
  await page.getByRole("button", { name: /Start client/ }).click();
  await expect(moduleState(page, "client")).toHaveText("running — paused before sock_create_kern");
  await page.getByRole("button", { name: "Step server", exact: true }).click();
  await expect(moduleState(page, "server")).toHaveText("running — paused before bind");
  await expect(page.getByRole("region", { name: "server.c", exact: true })).toBeVisible();
  await expect(server).toHaveClass(/focused/);

  const maximise = server.getByRole("button", { name: /Maximise server\.c/ });
  await maximise.click();
  await expect(page.getByRole("tablist", { name: "Views of the run" })).toBeHidden();
  await expect(client).toBeHidden();
  // Unloaded first, so the reload does not ask (see the next test).
  await page.getByRole("button", { name: "Reset the lab" }).click();
  // Maximised, the other module is hidden: read both states from the page's text.
  await expect
    .poll(() => page.locator(".module-state .state-words").allTextContents())
    .toEqual(["not loaded", "not loaded"]);
  await page.reload();
  await expect(page.getByText(/your lab uses port \d+/)).toBeVisible();
  await expect(page.getByRole("tablist", { name: "Views of the run" })).toBeHidden();
  await page.keyboard.press("Escape");
  await expect(page.getByRole("tablist", { name: "Views of the run" })).toBeVisible();
  await page.locator("body").click({ position: { x: 5, y: 5 } });
  await page.keyboard.press("m");
  await expect(page.getByRole("tablist", { name: "Views of the run" })).toBeHidden();
  await page.keyboard.press("m");
  await expect(page.getByRole("tablist", { name: "Views of the run" })).toBeVisible();
});

test("a reload asks first while a module is loaded, and not before", async ({ page }) => {
  await openLab(page);
  const asked: string[] = [];
  page.on("dialog", (dialog) => {
    asked.push(dialog.type());
    void dialog.dismiss();
  });
  await page.getByRole("button", { name: /Start server/ }).click();
  await expect(moduleState(page, "server")).toHaveText("running — blocked in accept");
  await page.evaluate(() => {
    location.reload();
  });
  await expect.poll(() => asked).toEqual(["beforeunload"]);
  // Dismissed: the page and its lab stay.
  await expect(moduleState(page, "server")).toHaveText("running — blocked in accept");
  await page.getByRole("button", { name: "Reset the lab" }).click();
  await expect(moduleState(page, "server")).toHaveText("not loaded");
  await page.reload();
  await expect(page.getByText(/your lab uses port \d+/)).toBeVisible();
  expect(asked).toEqual(["beforeunload"]);
});

test("after looking back on the timeline and returning, the printk badge counts no record as new", async ({
  page,
}) => {
  await openLab(page);
  await page.getByRole("button", { name: /Start server/ }).click();
  await expect(moduleState(page, "server")).toHaveText("running — blocked in accept");
  await showDockTab(page, "Timeline");
  const printkTab = page.getByRole("tab", { name: /printk/ });
  await page.getByRole("button", { name: "Step back" }).click();
  await page.getByRole("button", { name: "Step back" }).click();
  await page.getByRole("button", { name: "Go to live" }).click();
  await expect(page.getByRole("button", { name: "Go to live" })).toHaveAttribute("aria-disabled", "true");
  await expect(printkTab).not.toContainText(/new/);
});

/** The rows a bar's visible items sit in: items on one row overlap in height; one that wraps starts below them all. */
async function rowsOf(page: Page, selector: string): Promise<number> {
  return page.locator(selector).evaluate((bar) => {
    const boxes = [...bar.children]
      .map((child) => child.getBoundingClientRect())
      .filter((box) => box.width > 1 && box.height > 1);
    let rows = 0;
    let bottom = Number.NEGATIVE_INFINITY;
    for (const box of boxes.sort((a, b) => a.top - b.top)) {
      if (box.top >= bottom - 1) rows += 1;
      bottom = Math.max(bottom, box.bottom);
    }
    return rows;
  });
}

test("the header and the setup strip are one row each at 1024, 1280 and 1440 px, nothing cut, the rest in menus; a phone's header is at most 90 px", async ({
  page,
}) => {
  await openLab(page, "?pace=normal");
  for (const [width, height] of [
    [1024, 768],
    [1280, 720],
    [1440, 900],
  ] as const) {
    await page.setViewportSize({ width, height });
    await expect.poll(() => rowsOf(page, ".app-header"), { message: `header at ${width}` }).toBe(1);
    expect(await rowsOf(page, ".app-header .header-tools"), `header tools at ${width}`).toBe(1);
    expect(await rowsOf(page, ".setup-strip"), `setup strip at ${width}`).toBe(1);
    // No control is cut: every button shows its whole text, the display speed its whole choice.
    const cut = await page.locator(".app-header, .setup-strip, .transport").evaluateAll((bars) =>
      bars.flatMap((bar) =>
        [...bar.querySelectorAll("button, select")]
          .filter((control) => {
            const box = control.getBoundingClientRect();
            if (box.width <= 1) return false;
            if (control instanceof HTMLSelectElement) {
              const text = control.selectedOptions[0]?.textContent ?? "";
              const probe = document.createElement("span");
              probe.style.font = getComputedStyle(control).font;
              probe.style.whiteSpace = "pre";
              probe.textContent = text;
              document.body.append(probe);
              const needed = probe.getBoundingClientRect().width;
              probe.remove();
              return needed > box.width - 16;
            }
            return control.scrollWidth > control.clientWidth + 1;
          })
          .map((control) => control.textContent),
      ),
    );
    expect(cut, `cut at ${width}`).toEqual([]);
  }
  // What the header has no room for is in its menus: the kernel release at every width, the run file under 1280 px.
  await page.setViewportSize({ width: 1024, height: 768 });
  await page.getByRole("button", { name: "More" }).click();
  await expect(page.getByRole("button", { name: "Export run" })).toBeVisible();
  await page.keyboard.press("Escape");
  await expect(page.getByRole("button", { name: "Export run" })).toBeHidden();
  await page.getByRole("button", { name: /^Kernel 6\.1/ }).click();
  await expect(page.getByRole("combobox", { name: "Kernel" })).toBeVisible();
  await expect(page.getByText("Node lab: the listings' TS twins on real TCP sockets.")).toHaveCount(2);
  await page.locator(".workbench").click({ position: { x: 5, y: 300 } });
  await expect(page.getByRole("combobox", { name: "Kernel" })).toBeHidden();

  await page.setViewportSize({ width: 390, height: 844 });
  await expect
    .poll(() => page.locator(".app-header").evaluate((header) => header.getBoundingClientRect().height))
    .toBeLessThanOrEqual(90);
  await page.getByRole("button", { name: "More" }).click();
  await expect(page.getByRole("button", { name: "Dark theme" })).toBeVisible();
  await expect(page.getByRole("button", { name: "中文" })).toBeVisible();
});

test("step 13 completes: the client's connect picked on the timeline, then Go to live, shows its check mark", async ({
  page,
}) => {
  await openLab(page, "?pace=instant&step=timeline");
  const lesson = page.getByRole("region", { name: "Lesson", exact: true });
  const done = lesson.getByRole("status").filter({ hasText: "Done. Press Next when you are ready." });
  await page.getByRole("button", { name: /Start server/ }).click();
  await expect(moduleState(page, "server")).toHaveText("running — blocked in accept");
  await page.getByRole("button", { name: /Start client/ }).click();
  await expect(moduleState(page, "server")).toHaveText("loaded");
  await expect(lesson).toContainText("then press Go to live.");
  await expect(done).toHaveCount(0);
  await showDockTab(page, "Timeline");
  const timeline = page.getByRole("region", { name: "Timeline", exact: true });
  await scrollTimelineToStart(timeline);
  // A virtual list: scrolled down with the wheel until the moment is among the entries drawn.
  const connected = timeline.getByRole("button", { name: /client: connect returned 0$/ }).first();
  await timeline.locator(".timeline-events").hover();
  for (let i = 0; i < 40 && (await connected.count()) === 0; i++) await page.mouse.wheel(0, 80);
  await connected.click();
  await expect(done).toHaveCount(0);
  await page.getByRole("button", { name: "Go to live" }).click();
  await expect(done).toContainText("connect returned 0");
  await page.getByRole("button", { name: "Reset the lab" }).click();
});

test("step 2's symbols are a list in the lesson column and a full-width table in a dialog, neither scrolling sideways at 1280×720", async ({
  page,
}) => {
  await openLab(page, "?pace=instant&step=exported-symbols");
  const lesson = page.getByRole("region", { name: "Lesson", exact: true });
  await expect(lesson.getByRole("table")).toHaveCount(0);
  await expect(lesson.locator(".symbol-list > li")).toHaveCount(15);
  const sideways = (selector: string) =>
    page.locator(selector).evaluate((element) => element.scrollWidth - element.clientWidth);
  expect(await sideways("section.lesson")).toBeLessThanOrEqual(0);
  await lesson.getByRole("button", { name: "Open the table full width" }).click();
  const dialog = page.getByRole("dialog", {
    name: "The fifteen symbols net/socket.c exported, as listed in the post, and their status",
  });
  await expect(dialog.getByRole("row")).toHaveCount(16);
  expect(await sideways("dialog.symbol-table-dialog")).toBeLessThanOrEqual(0);
  // The table fits the dialog: its right edge is inside the dialog's.
  const edges = await dialog.evaluate((element) => {
    const table = element.querySelector("table")?.getBoundingClientRect();
    return { table: table?.right ?? Number.POSITIVE_INFINITY, dialog: element.getBoundingClientRect().right };
  });
  expect(edges.table).toBeLessThanOrEqual(edges.dialog);
  await page.keyboard.press("Escape");
  await expect(dialog).toBeHidden();
});
