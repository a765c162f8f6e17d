import type { Locator, Page } from "@playwright/test";
import { type UiText, UI_EN } from "../client/src/i18n/locales/en.ts";
import { UI_ZH } from "../client/src/i18n/locales/zh.ts";
import { LESSON, type LessonStepId } from "../shared/content/lesson/lessonSteps.ts";
import type { LessonText } from "../shared/content/lesson/lessonText.ts";
import { LESSON_EN } from "../shared/content/lesson/text.en.ts";
import { LESSON_ZH } from "../shared/content/lesson/text.zh.ts";
import {
  currentLine,
  expect,
  listing,
  openLab,
  printkPane,
  scrollTimelineToStart,
  showDockTab,
  test,
} from "./fixtures.ts";

type Module = "server" | "client";
/** What a person reads on the page in one language: the interface's words and the lesson's. */
type Words = { lang: "en" | "zh"; ui: UiText; lesson: LessonText };
const EN: Words = { lang: "en", ui: UI_EN, lesson: LESSON_EN };
const ZH: Words = { lang: "zh", ui: UI_ZH, lesson: LESSON_ZH };

function fill(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{\{(\w+)\}\}/g, (_m, key: string) => String(values[key] ?? ""));
}

/** The lab as a learner sees it in one language: regions, buttons and state words by their visible names. */
function labPage(page: Page, w: Words) {
  const name = (m: Module) => w.ui.module[m].name;
  const lesson = page.getByRole("region", { name: w.ui.lesson.region, exact: true });
  return {
    lesson,
    heading: lesson.getByRole("heading", { level: 2 }),
    next: lesson.getByRole("button", { name: w.ui.lesson.next }),
    back: lesson.getByRole("button", { name: w.ui.lesson.back }),
    start: (m: Module) => page.getByRole("button", { name: fill(w.ui.module.start, { name: name(m) }) }),
    stop: (m: Module) => page.getByRole("button", { name: fill(w.ui.module.stop, { name: name(m) }) }),
    step: (m: Module) => page.getByRole("button", { name: fill(w.ui.stepMode.step, { name: name(m) }) }),
    cont: (m: Module) => page.getByRole("button", { name: fill(w.ui.stepMode.continue, { name: name(m) }) }),
    stepMode: page.getByRole("button", { name: w.ui.stepMode.switch }),
    /** A done task: its check mark and the real outcome, waiting for Next. */
    done: lesson.getByRole("status").filter({ hasText: w.ui.lesson.doneWaiting }),
    reset: page.getByRole("button", { name: w.ui.labControls.reset }),
    occupy: page.getByRole("button", { name: fill(w.ui.labControls.occupy, { port: "" }).trim() }),
    free: page.getByRole("button", { name: fill(w.ui.labControls.free, { port: "" }).trim() }),
    state: (m: Module) =>
      page.getByRole("region", { name: w.ui.module[m].region }).locator(".module-state .state-words"),
    paused: (step: string) => fill(w.ui.state.paused, { step }),
    blocked: (step: string) => fill(w.ui.state.blocked, { step }),
    failed: (result: number) => fill(w.ui.state.failed, { result }),
    timeline: page.getByRole("region", { name: w.ui.timeline.region, exact: true }),
    transport: page.getByRole("region", { name: w.ui.transport.region }),
    backToLive: page.getByRole("button", { name: w.ui.timeline.live }),
    title: (id: LessonStepId) => w.lesson[id].title,
  };
}
type Lab = ReturnType<typeof labPage>;

async function labPort(page: Page): Promise<number> {
  const status = await page.locator(".app-header .status").textContent();
  return Number(/(\d{4,5})/.exec(status ?? "")?.[1]);
}

/** The moves of each lesson step, by mouse; `press` is how a button is pressed (a click, or the keyboard). */
type Press = (target: Locator) => Promise<void>;

async function walkLesson(
  page: Page,
  w: Words,
  lab: Lab,
  press: Press,
  nextStep: () => Promise<void>,
): Promise<void> {
  const at = (id: LessonStepId) => expect(lab.heading).toHaveText(lab.title(id));

  await test.step("what kernel sockets are, then the fifteen symbols", async () => {
    await at("kernel-sockets");
    await nextStep();
    await at("exported-symbols");
    // In the column a list; the table opens full width in a dialog.
    await lab.lesson.getByRole("button", { name: w.ui.lesson.symbols.open }).click();
    const table = page.getByRole("dialog", { name: w.ui.lesson.symbols.caption }).getByRole("table");
    await expect(table.getByRole("row")).toHaveCount(16);
    await expect(table.getByRole("row", { name: /^kernel_setsockopt / })).toContainText("5a892ff2facb");
    await expect(table.getByRole("row", { name: /^sock_create_kern / })).toContainText("v4.2");
    await page.keyboard.press("Escape");
    await expect(table).toBeHidden();
    await nextStep();
  });

  await test.step("the server's set-up lines are marked", async () => {
    await at("server-setup");
    const marked = listing(page, "server.c").locator("[data-marked]");
    await expect(marked.first()).toContainText("struct socket *sock,*client_sock;");
    await expect(marked.last()).toContainText("client_sock=(struct socket *)kmalloc(");
    await nextStep();
  });

  /** The task is done: the step shows it with the real outcome and stays until the learner moves on. */
  const doneThenNext = async (outcome: string) => {
    await expect(lab.done).toContainText(outcome);
    await nextStep();
  };

  await test.step("start the server: the step shows it done, blocked in accept, and waits for Next", async () => {
    await at("server-walkthrough");
    await expect(listing(page, "server.c").locator("[data-marked]")).toHaveCount(4);
    await press(lab.start("server"));
    await expect(lab.state("server")).toHaveText(lab.blocked("accept"));
    await expect(lab.done).toContainText("accept");
    await at("server-walkthrough");
    await nextStep();
    await at("insmod-blocks");
  });

  await test.step("rmmod of a server still in init is refused: the module is in use", async () => {
    await press(lab.stop("server"));
    await doneThenNext("Module server is in use");
    await at("client-walkthrough");
    await expect(printkPane(page)).toContainText("rmmod: ERROR: Module server is in use");
    await expect(lab.state("server")).toHaveText(lab.blocked("accept"));
    await expect(listing(page, "client.c").locator("[data-marked]").first()).toContainText(
      'in_aton("192.168.209.134")',
    );
    await nextStep();
  });

  await test.step("run both, then read what init returned and unload both", async () => {
    await at("run-both");
    await press(lab.start("client"));
    await doneThenNext("1024");
    await at("init-return");
    await expect(printkPane(page)).toContainText("'server'->init suspiciously returned 1024");
    await expect(lab.state("server")).toHaveText(w.ui.state.live);
    await press(lab.stop("server"));
    await press(lab.stop("client"));
    await doneThenNext(w.ui.state.unloaded);
    await at("client-first");
    await expect(printkPane(page)).toContainText("good bye");
  });

  await test.step("a client with no server: ECONNREFUSED", async () => {
    await press(lab.start("client"));
    await doneThenNext(lab.failed(-111));
    await at("port-busy");
    await expect(lab.state("client")).toHaveText(lab.failed(-111));
    await expect(currentLine(page, "client.c")).toContainText("sock->ops->connect(");
  });

  await test.step("a taken port: Occupy port, then EADDRINUSE at bind; Free port", async () => {
    const port = await labPort(page);
    await expect(lab.lesson).toContainText(`127.0.0.1 ${port}`);
    await press(lab.occupy);
    await expect(lab.free).toHaveAttribute("aria-pressed", "true");
    await press(lab.start("server"));
    await expect(lab.state("server")).toHaveText(lab.failed(-98));
    await expect(printkPane(page)).toContainText("Address already in use");
    await press(lab.free);
    await expect(lab.occupy).toHaveAttribute("aria-pressed", "false");
    await doneThenNext(lab.failed(-98));
    await at("step-mode");
  });

  await test.step("step mode: the client connects while the server is paused before accept", async () => {
    await press(lab.stepMode);
    await expect(lab.stepMode).toHaveAttribute("aria-pressed", "true");
    await press(lab.start("server"));
    await expect(lab.state("server")).toHaveText(lab.paused("sock_create_kern"));
    for (const next of ["bind", "listen", "accept"]) {
      await press(lab.step("server"));
      await expect(lab.state("server")).toHaveText(lab.paused(next));
    }
    await press(lab.start("client"));
    await expect(lab.state("client")).toHaveText(lab.paused("sock_create_kern"));
    await press(lab.step("client"));
    await expect(lab.state("client")).toHaveText(lab.paused("connect"));
    // Step 11 asks the connect question, not the accept question of the server held before accept.
    const question = page.getByRole("region", { name: w.ui.predict.region }).getByRole("group");
    await expect(question).toHaveCount(1);
    await expect(question).toContainText(w.ui.predict.lead.connect);
    await expect(question).toContainText(fill(w.ui.predict.ask, { call: "connect" }));
    // The Step button skips the question.
    await press(lab.step("client"));
    await doneThenNext("connect");
    await at("accept-queue");
    await expect(question).toContainText(fill(w.ui.predict.ask, { call: "accept" }));
    await expect(lab.state("client")).toHaveText(lab.paused("kernel_sendmsg"));
    await expect(lab.state("server")).toHaveText(lab.paused("accept"));
    await expect(printkPane(page)).toContainText("client:connect ok!");
  });

  await test.step("step the server on: accept takes the queued connection", async () => {
    await press(lab.cont("client"));
    await expect(lab.state("client")).toHaveText(w.ui.state.live);
    await press(lab.step("server"));
    await expect(lab.state("server")).toHaveText(lab.paused("kernel_recvmsg"));
    await press(lab.cont("server"));
    await expect(lab.state("server")).toHaveText(w.ui.state.live);
    // The task's last words stay on screen while it is done: nothing moved on.
    await expect(lab.done).toBeVisible();
    await expect(lab.lesson).toContainText(w.lesson["accept-queue"].task ?? "");
    await press(lab.stepMode);
    await expect(lab.stepMode).toHaveAttribute("aria-pressed", "false");
    await nextStep();
    await at("timeline");
  });
}

/** Timeline by mouse: pick the moment the server first entered accept, look, come back. */
async function lookBackByMouse(page: Page, w: Words, lab: Lab): Promise<void> {
  const entered = fill(w.ui.timeline.event.enter, { module: w.ui.module.server.name, step: "accept" });
  await showDockTab(page, w.ui.timeline.region);
  await scrollTimelineToStart(lab.timeline);
  await lab.timeline.getByRole("button", { name: entered }).first().click();
  await showDockTab(page, "printk");
  await expectPastView(page, w, lab);
  await lab.backToLive.click();
  await expectLiveView(page, lab);
}

async function expectPastView(page: Page, w: Words, lab: Lab): Promise<void> {
  const banner = lab.transport.getByRole("status");
  await expect(banner).toBeVisible();
  await expect(banner).toContainText(lab.blocked("accept"));
  // The log as it was then: no client yet. The controls still show the live lab.
  await expect(printkPane(page)).not.toContainText("insmod client.ko");
  await expect(printkPane(page)).toContainText("server:listen ok!");
  await expect(currentLine(page, "server.c")).toContainText("sock->ops->accept(");
  await expect(lab.state("server")).toHaveText(w.ui.state.live);
}

async function expectLiveView(page: Page, lab: Lab): Promise<void> {
  await expect(lab.backToLive).toHaveAttribute("aria-disabled", "true");
  await expect(printkPane(page)).toContainText("$ insmod client.ko");
}

test.describe("the guided lesson", () => {
  test.describe.configure({ timeout: 150_000 });

  test("walks the whole lesson in English at the default human pace", async ({ page }) => {
    const chunks: string[] = [];
    page.on("request", (request) => chunks.push(request.url()));
    await openLab(page, "");
    // Each language is its own chunk: an English page never downloads the Chinese one.
    expect(chunks.filter((url) => /\/assets\/en-[\w-]+\.js$/.test(url))).toHaveLength(1);
    expect(chunks.filter((url) => /\/assets\/zh-[\w-]+\.js$/.test(url))).toHaveLength(0);
    const lab = labPage(page, EN);
    await expect(page.getByRole("combobox", { name: EN.ui.pace.label })).toHaveValue("normal");
    await walkLesson(
      page,
      EN,
      lab,
      (target) => target.click(),
      () => lab.next.click(),
    );
    await lookBackByMouse(page, EN, lab);
    await lab.next.click();
    await expect(lab.heading).toHaveText(lab.title("real-module"));
    await expect(listing(page, "server.c").locator("[data-marked]")).toHaveCount(7);
    await expect(lab.next).toHaveAttribute("aria-disabled", "true");
    await expect(lab.lesson).toContainText(
      fill(EN.ui.lesson.progress, { n: LESSON.length, total: LESSON.length }),
    );
  });

  test("switches to Chinese, remembers it, and walks the whole lesson in Chinese", async ({ page }) => {
    await openLab(page);
    await page.getByRole("button", { name: "中文" }).click();
    await expect(page.locator("html")).toHaveAttribute("lang", "zh-Hans");
    await expect(page).toHaveURL(/lang=zh/);
    await expect(page.getByRole("button", { name: "中文" })).toHaveAttribute("aria-pressed", "true");
    const lab = labPage(page, ZH);
    await expect(lab.heading).toHaveText(ZH.lesson["kernel-sockets"].title);

    await page.goto("/?pace=instant");
    await expect(lab.heading).toHaveText(ZH.lesson["kernel-sockets"].title);
    await expect(page.getByText(/你的实验使用端口 \d+/)).toBeVisible();
    await expect(lab.state("server")).toHaveText(ZH.ui.state.unloaded);

    await walkLesson(
      page,
      ZH,
      lab,
      (target) => target.click(),
      () => lab.next.click(),
    );
    await lookBackByMouse(page, ZH, lab);
    await lab.next.click();
    await expect(lab.heading).toHaveText(ZH.lesson["real-module"].title);

    await page.getByRole("button", { name: "English" }).click();
    await expect(labPage(page, EN).heading).toHaveText(EN.lesson["real-module"].title);
    await expect(page.locator("html")).toHaveAttribute("lang", "en");
  });

  test("step mode halts the server after listen; the client's connect succeeds before accept", async ({
    page,
  }) => {
    await openLab(page);
    const lab = labPage(page, EN);
    await lab.stepMode.click();
    await lab.start("server").click();
    for (const next of ["bind", "listen", "accept"]) {
      await lab.step("server").click();
      await expect(lab.state("server")).toHaveText(lab.paused(next));
    }
    await expect(currentLine(page, "server.c")).toContainText("sock->ops->accept(");
    await expect(currentLine(page, "server.c")).toHaveClass(/tone-waiting/);
    await expect(printkPane(page)).toContainText("server:listen ok!");

    await lab.start("client").click();
    await lab.step("client").click();
    await expect(lab.state("client")).toHaveText(lab.paused("connect"));
    await lab.step("client").click();
    await expect(printkPane(page)).toContainText("client:connect ok!");
    await expect(lab.state("client")).toHaveText(lab.paused("kernel_sendmsg"));
    await expect(lab.state("server")).toHaveText(lab.paused("accept"));
    await expect(currentLine(page, "server.c")).toContainText("sock->ops->accept(");
    await expect(printkPane(page)).not.toContainText("accept ok");

    await lab.step("server").click();
    await expect(lab.state("server")).toHaveText(lab.paused("kernel_recvmsg"));
    await expect(printkPane(page)).toContainText("server: accept ok, Connection Established");
    await lab.cont("client").click();
    await lab.cont("server").click();
    await expect(lab.state("server")).toHaveText("loaded");
    await expect(lab.state("client")).toHaveText("loaded");
    await expect(printkPane(page)).toContainText("^A^A^A^A");
  });

  test("a deep link reopens the same step, in the language it names", async ({ page, browser }) => {
    await openLab(page);
    const lab = labPage(page, EN);
    for (let i = 0; i < 3; i++) await page.keyboard.press("ArrowRight");
    await expect(lab.heading).toHaveText(lab.title("server-walkthrough"));
    await expect(page).toHaveURL(/[?&]step=server-walkthrough/);
    await expect(page).toHaveURL(/[?&]lang=en/);
    const link = page.url();

    // A fresh browser profile: nothing remembered, only the link.
    const fresh = await browser.newContext();
    try {
      const other = await fresh.newPage();
      await other.goto(link);
      await expect(labPage(other, EN).heading).toHaveText(lab.title("server-walkthrough"));
      await other.goto("/?step=accept-queue&lang=zh");
      await expect(labPage(other, ZH).heading).toHaveText(ZH.lesson["accept-queue"].title);
      await expect(other.locator("html")).toHaveAttribute("lang", "zh-Hans");
      await expect(labPage(other, ZH).lesson).toContainText("第 12 步，共 14 步");
    } finally {
      await fresh.close();
    }
  });

  test("plays calls at a human pace while the real calls run at full speed; instant catches up", async ({
    page,
  }) => {
    await openLab(page, "?pace=slow");
    const lab = labPage(page, EN);
    await lab.start("server").click();
    // Slow: one call a second, so the bind line is lit on its own before accept is shown.
    await expect(currentLine(page, "server.c")).toContainText("sock->ops->bind(");
    await expect(lab.state("server")).not.toHaveText(lab.blocked("accept"));
    await page.getByRole("combobox", { name: EN.ui.pace.label }).selectOption("instant");
    await expect(lab.state("server")).toHaveText(lab.blocked("accept"), { timeout: 900 });
    // The kernel log's own stamps: the calls themselves took far less than the display did.
    await expect(printkPane(page)).toContainText("server:listen ok!");
    const text = (await printkPane(page).textContent()) ?? "";
    const stamp = (what: string) => Number(new RegExp(`\\[\\s*(\\d+\\.\\d+)\\] ${what}`).exec(text)?.[1]);
    expect(stamp("server:listen ok!") - stamp("server init:")).toBeLessThan(0.5);
  });

  test("completes the lesson with the keyboard alone", async ({ page }) => {
    // Tabbing through every control of 14 steps takes a while on a busy 2-core machine.
    test.slow();
    await openLab(page);
    const lab = labPage(page, EN);

    await test.step("? opens the shortcuts, Escape closes them", async () => {
      await page.keyboard.press("?");
      const dialog = page.getByRole("dialog", { name: EN.ui.shortcuts.title });
      await expect(dialog).toBeVisible();
      await expect(dialog).toContainText(EN.ui.shortcuts.next);
      await page.keyboard.press("Escape");
      await expect(dialog).toBeHidden();
      await expect(page.getByRole("button", { name: EN.ui.shortcuts.open })).toBeVisible();
    });

    const press: Press = async (target) => {
      await tabTo(page, target);
      await page.keyboard.press("Enter");
    };
    await walkLesson(page, EN, lab, press, () => page.keyboard.press("ArrowRight"));

    await test.step("the timeline by keyboard: the slider's Home key goes back to the first event", async () => {
      const slider = lab.transport.getByRole("slider", { name: EN.ui.timeline.slider });
      await tabTo(page, slider);
      await page.keyboard.press("Home");
      await expect(printkPane(page)).not.toContainText("server init:");
      await expect(lab.transport.getByRole("status")).toContainText("Viewing the past");
      // ← and → belong to the slider while it has focus: the lesson stays where it is.
      await page.keyboard.press("ArrowRight");
      await expect(lab.heading).toHaveText(lab.title("timeline"));
      await press(lab.backToLive);
      await expectLiveView(page, lab);
    });

    await page.keyboard.press("ArrowRight");
    await expect(lab.heading).toHaveText(lab.title("real-module"));
    await page.keyboard.press("ArrowLeft");
    await expect(lab.heading).toHaveText(lab.title("timeline"));
    await page.keyboard.press("ArrowRight");
    await expect(lab.heading).toHaveText(lab.title("real-module"));
  });
});

/** Moves focus with Tab alone until `target` has it: proof it is reachable by keyboard. */
async function tabTo(page: Page, target: Locator, limit = 400): Promise<void> {
  await expect(target).toBeVisible();
  for (let i = 0; i < limit; i++) {
    if (await target.evaluate((element) => element === document.activeElement)) return;
    await page.keyboard.press("Tab");
  }
  throw new Error(`not reached by ${limit} presses of Tab`);
}
