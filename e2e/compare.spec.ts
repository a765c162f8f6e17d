import { readFileSync } from "node:fs";
import type { Page } from "@playwright/test";
import { C_CALL_MARKERS, type ModuleName, type StepId, type Variant } from "../shared/protocol/steps.ts";
import { currentLine, expect, listing, moduleState, openLab, printkPane, test } from "./fixtures.ts";

const TS_FILE = { server: "serverModule.ts", client: "clientModule.ts" } as const;
const C_FILE = { server: "server.c", client: "client.c" } as const;
const C_CALL = C_CALL_MARKERS.published;

function tsRow(page: Page, module: ModuleName, text: string) {
  return listing(page, TS_FILE[module]).locator("[data-line]", { hasText: text });
}

function cRow(page: Page, module: ModuleName, text: string) {
  return listing(page, C_FILE[module]).locator("[data-line]", { hasText: text });
}

/** The step is the current one in both listings: its TS gate call and its C call carry aria-current. */
async function expectCurrent(
  page: Page,
  module: ModuleName,
  step: StepId,
  variant: Variant = "published",
): Promise<void> {
  await expect(currentLine(page, TS_FILE[module])).toContainText(`k.call("${step}"`);
  await expect(currentLine(page, C_FILE[module])).toContainText(C_CALL_MARKERS[variant][module][step]!);
}

test("stepping through both modules marks each step's TS call and C call as current", async ({ page }) => {
  await openLab(page);
  await page.getByRole("button", { name: "Step mode" }).click();
  await expect(page.getByRole("button", { name: "Step mode" })).toHaveAttribute("aria-pressed", "true");

  const pausedAt = async (module: ModuleName, step: StepId) => {
    await expect(moduleState(page, module)).toHaveText(`running — paused before ${step}`);
    await expectCurrent(page, module, step);
  };
  const stepButton = (module: ModuleName) =>
    page.getByRole("button", { name: `Step ${module}`, exact: true });

  await test.step("server: sock_create_kern, bind, listen, then blocked in accept", async () => {
    await page.getByRole("button", { name: /Start server/ }).click();
    for (const step of ["sock_create_kern", "bind", "listen", "accept"] as const) {
      await pausedAt("server", step);
      await stepButton("server").click();
    }
    await expect(moduleState(page, "server")).toHaveText("running — blocked in accept");
    await expectCurrent(page, "server", "accept");
  });

  await test.step("client: sock_create_kern, connect, kernel_sendmsg", async () => {
    await page.getByRole("button", { name: /Start client/ }).click();
    for (const step of ["sock_create_kern", "connect", "kernel_sendmsg"] as const) {
      await pausedAt("client", step);
      await stepButton("client").click();
    }
    await expect(moduleState(page, "client")).toHaveText("loaded");
    await expectCurrent(page, "client", "kernel_sendmsg");
  });

  await test.step("server: the accepted connection is read and both sockets released", async () => {
    for (const step of ["kernel_recvmsg", "sock_release_listener", "sock_release_conn"] as const) {
      await pausedAt("server", step);
      await stepButton("server").click();
    }
    await expect(moduleState(page, "server")).toHaveText("loaded");
    await expectCurrent(page, "server", "sock_release_conn");
  });
});

test("a refused client marks the TS connect call as current, as it marks the C one", async ({ page }) => {
  await openLab(page);
  await page.getByRole("button", { name: /Start client/ }).click();
  await expect(moduleState(page, "client")).toHaveText("failed (-111)");
  await expectCurrent(page, "client", "connect");
  await expect(currentLine(page, TS_FILE.client)).toHaveClass(/tone-error/);
});

test("pointing at a mapped line lights its partner in the other listing, in the step's colour", async ({
  page,
}) => {
  await openLab(page);
  const tsBind = tsRow(page, "server", 'k.call("bind"');
  const cBind = cRow(page, "server", C_CALL.server.bind!);
  const tsAccept = tsRow(page, "server", 'k.call("accept"');
  const cAccept = cRow(page, "server", C_CALL.server.accept!);

  await test.step("hovering a TS line lights its C partner", async () => {
    await expect(cBind).not.toHaveClass(/\blinked\b/);
    await tsBind.hover();
    await expect(cBind).toHaveClass(/\blinked\b/);
    await expect(cAccept).not.toHaveClass(/\blinked\b/);
    await expect(page.getByRole("region", { name: "server step explanation" })).toContainText(
      "the line you point at",
    );
  });

  await test.step("hovering a C line lights its TS partner", async () => {
    await cAccept.hover();
    await expect(tsAccept).toHaveClass(/\blinked\b/);
    await expect(cBind).not.toHaveClass(/\blinked\b/);
  });

  await test.step("partners share one band colour, and each step has its own", async () => {
    // Every row compared has a band of its own: two rows without one would compare equal.
    const band = async (row: typeof tsBind) => {
      const found = (await row.getAttribute("class"))?.match(/band-\d+/)?.[0];
      expect(found, `a band-N class on ${await row.textContent()}`).toMatch(/^band-\d+$/);
      return found;
    };
    expect(await band(tsBind)).toBe(await band(cBind));
    expect(await band(tsAccept)).toBe(await band(cAccept));
    expect(await band(tsAccept)).not.toBe(await band(tsBind));
  });

  await test.step("focusing a line's number lights its partner; pressing it pins the explanation", async () => {
    await page.mouse.move(0, 0);
    const button = listing(page, TS_FILE.server).getByRole("button", {
      name: /serverModule\.ts line \d+: bind, partner server\.c line \d+/,
    });
    await button.focus();
    await expect(cBind).toHaveClass(/\blinked\b/);
    await button.press("Enter");
    await expect(button).toHaveAttribute("aria-pressed", "true");
    await button.blur();
    await expect(cBind).not.toHaveClass(/\blinked\b/);
    const explanation = page.getByRole("region", { name: "server step explanation" });
    await expect(explanation).toContainText("pinned");
    await expect(explanation).toContainText(
      "int kernel_bind(struct socket *sock, struct sockaddr *addr, int addrlen);",
    );
    await explanation.getByRole("button", { name: "Back to the current step" }).click();
    await expect(button).toHaveAttribute("aria-pressed", "false");
  });
});

test("the C | TS split resizes from the keyboard", async ({ page }) => {
  await openLab(page);
  const separator = page.getByRole("separator", { name: "Resize server.c and serverModule.ts" });
  const width = () => listing(page, "server.c").evaluate((region) => region.getBoundingClientRect().width);
  const before = await width();
  await separator.focus();
  await page.keyboard.press("ArrowRight");
  await page.keyboard.press("ArrowRight");
  await expect.poll(width).toBeGreaterThan(before + 20);
  await expect(separator).not.toHaveAttribute("aria-valuenow", "50");
});

test("the TS listings show the very files the server runs, line for line", async ({ page }) => {
  await openLab(page);
  for (const module of ["server", "client"] as const) {
    const onDisk = readFileSync(`server/lab/published/${TS_FILE[module]}`, "utf8")
      .replace(/\n$/, "")
      .split("\n");
    const shown = await listing(page, TS_FILE[module]).locator("[data-line] .src").allTextContents();
    // An empty line shows as a line break: a row holds its line and nothing else.
    expect(shown.map((line) => line.replace(/\n+$/, ""))).toEqual(onDisk);
    const numbers = await listing(page, TS_FILE[module])
      .locator("[data-line]")
      .evaluateAll((rows) => rows.map((r) => r.getAttribute("data-line")));
    expect(numbers).toEqual(onDisk.map((_, i) => String(i + 1)));
  }
});

test("lines without a partner say why", async ({ page }) => {
  await openLab(page);
  await expect(cRow(page, "server", 'MODULE_LICENSE("GPL");')).toContainText("No TS partner");
  await expect(tsRow(page, "server", 'from "../nodeSockets.ts"')).toContainText("Node's event plumbing");
  await expect(cRow(page, "client", "sock=(struct socket *)kmalloc(")).toContainText(
    "Node allocates its own socket objects",
  );
});

test("the explanation panel explains accept while the server is blocked in it", async ({ page }) => {
  await openLab(page);
  await page.getByRole("button", { name: /Start server/ }).click();
  await expect(moduleState(page, "server")).toHaveText("running — blocked in accept");
  const explanation = page.getByRole("region", { name: "server step explanation" });
  await expect(explanation.getByRole("heading")).toContainText("accept");
  await expect(explanation).toContainText("current step");
  await expect(explanation).toContainText("ret=sock->ops->accept(sock,client_sock,10);");
  await expect(explanation).toContainText(
    "int kernel_accept(struct socket *sock, struct socket **newsock, int flags);",
  );
  await expect(explanation).toContainText(
    "int (*accept)(struct socket *sock, struct socket *newsock, int flags, bool kern);",
  );
  await expect(explanation).toContainText("accept4(2)");
  await expect(explanation).toContainText(
    // The call's line, up to its twin's frame (the arguments the Call tab shows) that follows.
    'ret = await k.call("accept", () => accept(deref(sock, "sock"), client_sock),',
  );
  await expect(explanation).toContainText("libuv accepts for you");
  await expect(explanation.getByRole("link", { name: /net\/socket\.c, v6\.1/ })).toHaveAttribute(
    "href",
    /torvalds\/linux\/blob\/v6\.1\/net\/socket\.c/,
  );
  await expect(explanation.getByRole("link", { name: /libuv src\/unix\/stream\.c/ })).toBeVisible();
});

test("the fixed listing's TS is shown and followed the same way", async ({ page }) => {
  await openLab(page);
  await page.getByRole("button", { name: "Fixed (Linux 6.x)" }).click();
  await expect(page.getByRole("button", { name: "Fixed (Linux 6.x)" })).toHaveAttribute(
    "aria-pressed",
    "true",
  );

  await test.step("the TS regions hold the fixed modules from disk", async () => {
    await expect(page.getByRole("region", { name: "server module" })).toContainText(
      "server/lab/fixed/serverModule.ts",
    );
    for (const module of ["server", "client"] as const) {
      const onDisk = readFileSync(`server/lab/fixed/${TS_FILE[module]}`, "utf8")
        .replace(/\n$/, "")
        .split("\n");
      const shown = await listing(page, TS_FILE[module]).locator("[data-line] .src").allTextContents();
      expect(shown.map((line) => line.replace(/\n+$/, ""))).toEqual(onDisk);
    }
  });

  await test.step("the server's thread blocks in accept: the fixed TS accept call is current", async () => {
    await page.getByRole("button", { name: /Start server/ }).click();
    await expect(moduleState(page, "server")).toHaveText("loaded");
    await expectCurrent(page, "server", "accept", "fixed");
  });

  await test.step("the client sends, then rmmod releases each socket where the fixed C does", async () => {
    await page.getByRole("button", { name: /Start client/ }).click();
    await expect(moduleState(page, "client")).toHaveText("loaded");
    await expectCurrent(page, "client", "kernel_sendmsg", "fixed");
    await expect(printkPane(page)).toContainText("server: receive message (1024 bytes)");
    // rmmod runs the exit function's calls; a module once unloaded keeps no lit line (issue 27).
    await page.getByRole("button", { name: /Stop client/ }).click();
    await expect(moduleState(page, "client")).toHaveText("not loaded");
    await expect(currentLine(page, C_FILE.client)).toHaveCount(0);
    await expect(currentLine(page, TS_FILE.client)).toHaveCount(0);
    await page.getByRole("button", { name: /Stop server/ }).click();
    await expect(moduleState(page, "server")).toHaveText("not loaded");
    await expect(currentLine(page, C_FILE.server)).toHaveCount(0);
    await expect(currentLine(page, TS_FILE.server)).toHaveCount(0);
  });

  await test.step("hovering the fixed TS kthread_run call lights the C kthread_run line", async () => {
    await tsRow(page, "server", 'k.call("kthread_run"').hover();
    await expect(cRow(page, "server", "kthread_run(accept_loop")).toHaveClass(/\blinked\b/);
  });
});
