import type { Page } from "@playwright/test";
import { UI_ZH } from "../client/src/i18n/locales/zh.ts";
import { LESSON } from "../shared/content/lesson/lessonSteps.ts";
import { LESSON_ZH } from "../shared/content/lesson/text.zh.ts";
import {
  currentLine,
  expect,
  listing,
  printkPane,
  scrollTimelineToStart,
  showDockTab,
  test,
} from "./fixtures.ts";

const ZH = UI_ZH;
const fill = (template: string, values: Record<string, string | number>) =>
  template.replace(/\{\{(\w+)\}\}/g, (_m, key: string) => String(values[key] ?? ""));

/**
 * Where English is right on a Chinese page: code and listings, the printk terminal and what the
 * kernel or the shell printed (timeline entries of printk and console lines), key names, cited
 * documents (external links name English sources), and whatever is marked lang="en" (the language
 * switch's "English", words the server sends).
 */
const ENGLISH_BY_RIGHT = [
  "pre",
  "code",
  "kbd",
  "script",
  "style",
  ".xterm",
  ".listing .src",
  ".timeline-event.event-printk",
  ".timeline-event.event-console",
  'a[href^="http"]',
  '[lang="en"]',
].join(", ");

/**
 * English prose found on the page, as "where: text". A text with no Chinese in it may hold one plain
 * English word (a term such as "accept", "Node"); a Chinese text may name terms but not run three
 * plain words together ("waiting for the peer"). Identifiers are not words: anything with a digit,
 * an underscore, a dot, a slash, an arrow or a bracket in it, ALL-CAPS names and camelCase; a text that is one
 * call expression ("socket.write(buf, callback)") is code. Quoted text (what a kernel message or an
 * errno says, in “…” or "…") is the quoted program's words.
 */
async function englishProse(page: Page): Promise<string[]> {
  return page.evaluate((skip) => {
    const CJK = /[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]/;
    const unquoted = (text: string) => text.replace(/“[^”]*”|"[^"]*"|「[^」]*」/g, " ");
    const isWord = (token: string) => {
      // Only sentence punctuation is peeled off: "*newsock," or "true)" stand in code, not in prose.
      const bare = token.replace(/[,.;:!?…]+$/u, "").replace(/^['‘]|['’]$/gu, "");
      return /^[A-Za-z][a-z]+$/.test(bare);
    };
    const problem = (text: string): boolean => {
      if (/^[\w.$]+\(.*\);?$/s.test(text)) return false;
      const tokens = unquoted(text)
        .split(/[\s\u3000-\u303f\uff00-\uffef]+/u)
        .filter(Boolean);
      if (!CJK.test(text)) return tokens.filter(isWord).length >= 2;
      let run = 0;
      for (const token of tokens) {
        run = isWord(token) && !CJK.test(token) ? run + 1 : 0;
        if (run >= 3) return true;
      }
      return false;
    };
    const where = (element: Element) => {
      const region = element.closest("[aria-label]")?.getAttribute("aria-label") ?? "page";
      return `${region} <${element.tagName.toLowerCase()}${element.className && typeof element.className === "string" ? `.${element.className.split(" ")[0]}` : ""}>`;
    };
    const found: string[] = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const parent = node.parentElement;
      const text = node.textContent?.trim() ?? "";
      if (!parent || !text || parent.closest(skip)) continue;
      if (problem(text)) found.push(`${where(parent)}: ${text}`);
    }
    // Names a screen reader speaks: regions, buttons, the slider's labels.
    for (const element of document.body.querySelectorAll("[aria-label], [title]")) {
      if (element.closest(skip)) continue;
      for (const attribute of ["aria-label", "title"]) {
        const text = element.getAttribute(attribute);
        if (text && problem(text)) found.push(`${where(element)} @${attribute}: ${text}`);
      }
    }
    return [...new Set(found)];
  }, ENGLISH_BY_RIGHT);
}

async function expectNoEnglishProse(page: Page): Promise<void> {
  // Opened, so the texts folded in <details> (bug lists, the dmesg record, the port's edits) count too.
  await page.locator("details:not([open]) > summary").evaluateAll((summaries) => {
    for (const summary of summaries) (summary.parentElement as HTMLDetailsElement).open = true;
  });
  expect(await englishProse(page)).toEqual([]);
}

function button(page: Page, template: string, module: "server" | "client") {
  return page.getByRole("button", { name: fill(template, { name: ZH.module[module].name }) });
}

function state(page: Page, module: "server" | "client") {
  return page.getByRole("region", { name: ZH.module[module].region }).locator(".module-state .state-words");
}

test.describe("the lab in Chinese", () => {
  test.describe.configure({ timeout: 120_000 });

  test("a whole run in Chinese shows no English prose outside code, listings and the kernel's own output", async ({
    page,
  }) => {
    await page.goto("/?lang=zh&pace=instant");
    await expect(page.getByText(/你的实验使用端口 \d+/)).toBeVisible();
    await expect(page).toHaveTitle(ZH.app.title);

    await test.step("before anything runs", async () => {
      await expectNoEnglishProse(page);
    });

    await test.step("the server blocks in accept; rmmod is refused, the module in use", async () => {
      await button(page, ZH.module.start, "server").click();
      await expect(state(page, "server")).toHaveText(fill(ZH.state.blocked, { step: "accept" }));
      await showDockTab(page, ZH.dock.tab.sockets);
      await expect(
        page
          .getByRole("region", { name: ZH.sockets.region })
          .getByRole("row")
          .filter({ hasText: ZH.sockets.roles.listener }),
      ).toContainText("LISTEN");
      await button(page, ZH.module.stop, "server").click();
      await showDockTab(page, "printk");
      await expect(printkPane(page)).toContainText("rmmod: ERROR: Module server is in use");
      await expectNoEnglishProse(page);
    });

    await test.step("the client sends its 1024 bytes: socket states, sequence and bytes speak Chinese", async () => {
      await button(page, ZH.module.start, "client").click();
      await expect(state(page, "client")).toHaveText(ZH.state.live);
      await expect(state(page, "server")).toHaveText(ZH.state.live);
      await showDockTab(page, ZH.dock.tab.sockets);
      const sockets = page.getByRole("region", { name: ZH.sockets.region });
      await expect(sockets.getByRole("row").filter({ hasText: ZH.sockets.roles.client })).toContainText(
        "CLOSE_WAIT",
      );
      await expect(sockets).toContainText(ZH.sockets.closeWait);
      await showDockTab(page, ZH.dock.tab.sequence);
      const diagram = page.getByRole("img", { name: new RegExp(`^${ZH.sequence.image.split("{{")[0]}`) });
      await expect(diagram).toHaveAccessibleName(
        new RegExp(
          fill(ZH.sequence.returnedValue, { side: ZH.module.client.name, call: "connect", result: 0 }),
        ),
      );
      await expect(diagram).toHaveAccessibleName(
        new RegExp(
          fill(ZH.sequence.message, { from: ZH.module.server.name, to: ZH.module.client.name, label: "FIN" }),
        ),
      );
      await showDockTab(page, ZH.dock.tab.bytes);
      await expect(page.getByRole("region", { name: ZH.bytes.region })).toContainText("1024 字节，全是 0x01");
      // The kernel's words stay the kernel's: the terminal and the dmesg record are not translated.
      await expect(
        page.getByRole("region", { name: ZH.bytes.region }).locator("pre.bytes-dmesg"),
      ).toContainText("receive message:");
      await showDockTab(page, "printk");
      await expect(printkPane(page)).toContainText("client:send ok!");
      await expectNoEnglishProse(page);
    });

    await test.step("pointing at a mapped line explains its step in Chinese", async () => {
      const gutter = listing(page, "server.c").getByRole("button", { name: /server\.c 第 \d+ 行：bind/ });
      await gutter.focus();
      await expect(
        page.getByRole("region", { name: fill(ZH.compare.region, { name: ZH.module.server.name }) }),
      ).toContainText(ZH.compare.because.pointed);
      await expectNoEnglishProse(page);
      await gutter.blur();
    });

    await test.step("unloading both, then a client with no server: ECONNREFUSED", async () => {
      await button(page, ZH.module.stop, "client").click();
      await button(page, ZH.module.stop, "server").click();
      await expect(state(page, "server")).toHaveText(ZH.state.unloaded);
      await button(page, ZH.module.start, "client").click();
      await expect(state(page, "client")).toHaveText(fill(ZH.state.failed, { result: -111 }));
      await expect(currentLine(page, "client.c")).toContainText("sock->ops->connect(");
      await expectNoEnglishProse(page);
    });

    await test.step("the engine switch and the real kernel's status, without booting it", async () => {
      const real = page.getByRole("button", { name: new RegExp(ZH.engine.real) });
      await real.click();
      await expect(real).toHaveAttribute("aria-pressed", "true");
      await expect(page.getByRole("region", { name: ZH.engine.region }).getByRole("status")).toContainText(
        "真实内核",
      );
      await expectNoEnglishProse(page);
      await page.getByRole("button", { name: ZH.engine.node }).click();
      await expect(page.getByRole("region", { name: ZH.engine.region }).getByRole("status")).toHaveText(
        ZH.engine.status.node,
      );
    });

    await test.step("the fixed listings: both run, both unload, TIME_WAIT is left", async () => {
      const fixed = page.getByRole("button", { name: ZH.variant.fixed });
      await fixed.click();
      await expect(fixed).toHaveAttribute("aria-pressed", "true");
      await button(page, ZH.module.start, "server").click();
      await expect(state(page, "server")).toHaveText(ZH.state.live);
      await button(page, ZH.module.start, "client").click();
      await expect(state(page, "client")).toHaveText(ZH.state.live);
      await showDockTab(page, ZH.dock.tab.bytes);
      await expect(page.getByRole("region", { name: ZH.bytes.region })).toContainText(ZH.bytes.fixedListing);
      await button(page, ZH.module.stop, "client").click();
      await expect(state(page, "client")).toHaveText(ZH.state.unloaded);
      await button(page, ZH.module.stop, "server").click();
      await expect(state(page, "server")).toHaveText(ZH.state.unloaded);
      await showDockTab(page, ZH.dock.tab.sockets);
      await expect(page.getByRole("region", { name: ZH.sockets.region })).toContainText(ZH.sockets.timeWait);
      await expectNoEnglishProse(page);
    });

    await test.step("looking back on the timeline, and the shortcuts dialog", async () => {
      await showDockTab(page, ZH.timeline.region);
      const timeline = page.getByRole("region", { name: ZH.timeline.region, exact: true });
      await scrollTimelineToStart(timeline);
      await timeline
        .getByRole("button", {
          name: fill(ZH.timeline.event.enter, { module: ZH.module.server.name, step: "accept" }),
        })
        .first()
        .click();
      await expect(page.getByRole("button", { name: ZH.timeline.live })).toBeVisible();
      await expectNoEnglishProse(page);
      await page.getByRole("button", { name: ZH.timeline.live }).click();
      await page.keyboard.press("?");
      await expect(page.getByRole("dialog", { name: ZH.shortcuts.title })).toBeVisible();
      await expectNoEnglishProse(page);
      await page.keyboard.press("Escape");
    });

    await test.step("every lesson step", async () => {
      const heading = page
        .getByRole("region", { name: ZH.lesson.region, exact: true })
        .getByRole("heading", { level: 2 });
      for (const [index, step] of LESSON.entries()) {
        await expect(heading).toHaveText(LESSON_ZH[step.id].title);
        await expectNoEnglishProse(page);
        if (index < LESSON.length - 1) await page.keyboard.press("ArrowRight");
      }
    });
  });

  test("the lesson's own panels speak Chinese: needs and Reset, a done outcome, a prediction, a refused file, a recorded run", async ({
    page,
  }) => {
    await page.goto("/?lang=zh&pace=instant");
    await expect(page.getByText(/你的实验使用端口 \d+/)).toBeVisible();
    const lesson = page.getByRole("region", { name: ZH.lesson.region, exact: true });

    await test.step("a step whose lab is elsewhere says so beside Reset the lab", async () => {
      await button(page, ZH.module.start, "server").click();
      await expect(state(page, "server")).toHaveText(fill(ZH.state.blocked, { step: "accept" }));
      for (let i = 0; i < 3; i++) await page.keyboard.press("ArrowRight");
      await expect(lesson).toContainText(ZH.lesson.needs.reset);
      await page.getByRole("button", { name: ZH.labControls.occupy.split(" ")[0] as string }).click();
      await expectNoEnglishProse(page);
      await lesson.getByRole("button", { name: ZH.labControls.reset }).click();
      await expect(printkPane(page)).toContainText("lab restarted");
    });

    await test.step("a step that starts from the server blocked in accept names the button, in Chinese", async () => {
      await expect(state(page, "server")).toHaveText(ZH.state.unloaded);
      await page.keyboard.press("ArrowRight");
      const startServer = fill(ZH.module.start, { name: ZH.module.server.name });
      await expect(lesson).toContainText(fill(ZH.lesson.needs.press, { buttons: startServer }));
      await expectNoEnglishProse(page);
      await page.keyboard.press("ArrowLeft");
    });

    await test.step("a done step with its outcome, and a prediction with its verdict and tally", async () => {
      await page.getByRole("button", { name: ZH.stepMode.switch }).click();
      await button(page, ZH.module.start, "server").click();
      await button(page, ZH.stepMode.step, "server").click();
      await page.getByRole("button", { name: ZH.stepMode.switch }).click();
      await expect(lesson.getByRole("status").filter({ hasText: ZH.lesson.doneWaiting })).toBeVisible();
      await expectNoEnglishProse(page);
      // Step 11 asks at bind: from step 4, seven steps on, its lab reset first.
      for (let i = 0; i < 7; i++) await page.keyboard.press("ArrowRight");
      await expect(lesson.getByRole("heading", { level: 2 })).toHaveText(LESSON_ZH["step-mode"].title);
      await lesson.getByRole("button", { name: ZH.labControls.reset }).click();
      await expect(state(page, "server")).toHaveText(ZH.state.unloaded);
      await page.getByRole("button", { name: ZH.stepMode.switch }).click();
      await button(page, ZH.module.start, "server").click();
      await button(page, ZH.stepMode.step, "server").click();
      await page
        .getByRole("region", { name: ZH.predict.region })
        .getByRole("button", { name: "0", exact: true })
        .click();
      await expect(page.getByRole("region", { name: ZH.predict.region })).toContainText(ZH.predict.right);
      await expectNoEnglishProse(page);
      await page.getByRole("button", { name: ZH.stepMode.switch }).click();
    });

    await test.step("a refused run file, then a recorded run under its banner", async () => {
      await page.getByLabel(ZH.runFile.pick).setInputFiles({
        name: "x.json",
        mimeType: "application/json",
        buffer: Buffer.from("{"),
      });
      await expect(page.getByRole("alert").filter({ hasText: ZH.runFile.refused })).toBeVisible();
      await expectNoEnglishProse(page);
      const download = page.waitForEvent("download");
      await page.getByRole("button", { name: ZH.runFile.export }).click();
      const path = await (await download).path();
      await page.getByLabel(ZH.runFile.pick).setInputFiles(path);
      await expect(page.getByRole("status").filter({ hasText: ZH.runFile.close })).toBeVisible();
      await expectNoEnglishProse(page);
    });
  });

  test("the check finds English prose where it is left, so a passing run means something", async ({
    page,
  }) => {
    await page.goto("/?lang=zh&pace=instant");
    await expect(page.getByText(/你的实验使用端口 \d+/)).toBeVisible();
    await expect.poll(() => englishProse(page)).toEqual([]);
    await page.evaluate(() => {
      const sample = (text: string, tag = "p") => {
        const element = document.createElement(tag);
        element.textContent = text;
        document.querySelector(".dock")?.append(element);
      };
      sample("Socket states");
      sample("收到的字节 waiting for the peer");
      sample("Bytes received", "h2");
      // Right where they are: code, a quoted kernel message, a single term, marked English.
      sample("the published client.c never calls it", "code");
      sample("内核警告“suspiciously returned 1024”");
      sample("accept");
      const marked = document.createElement("span");
      marked.lang = "en";
      marked.textContent = "a static busybox";
      document.querySelector(".dock")?.append(marked);
    });
    const found = await englishProse(page);
    expect(found.map((entry) => entry.slice(entry.indexOf(": ") + 2))).toEqual([
      "Socket states",
      "收到的字节 waiting for the peer",
      "Bytes received",
    ]);
  });

  test("switching back to English restores the English wording the other tests read", async ({ page }) => {
    await page.goto("/?lang=zh&pace=instant");
    await expect(page.getByText(/你的实验使用端口 \d+/)).toBeVisible();
    await page.getByRole("button", { name: "English" }).click();
    await expect(page.getByText(/connected · your lab uses port \d+/)).toBeVisible();
    await expect(page).toHaveTitle("Kernel Socket Lab");
    await showDockTab(page, "Socket states");
    await expect(page.getByRole("region", { name: "Socket states" })).toContainText(
      "Idle: the lab reads the kernel's table",
    );
    await expect(page.getByRole("button", { name: "As published" })).toHaveAttribute("aria-pressed", "true");
    await expect(page.getByRole("region", { name: "Engine" }).getByRole("status")).toHaveText(
      "Node lab: the listings' TS twins on real TCP sockets.",
    );
    await expect(page.getByText(/bugs in server\.c as published/)).toBeVisible();
    await expect(
      listing(page, "server.c")
        .locator("[data-line]")
        .filter({ hasText: "memset(recvbuf, 0, sizeof(recvbuf))" }),
    ).toContainText("Bug: clears sizeof(char *) = 8 bytes, not 1024");
  });
});
