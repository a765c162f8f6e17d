import type { Page } from "@playwright/test";
import { expect, moduleState, openLab, showDockTab, test } from "./fixtures.ts";
import { axeScan } from "./axeScan.ts";

function syscallsTab(page: Page) {
  return page.getByRole("region", { name: "System calls the traced lab made" });
}

/** The latest call of a module's step in the System calls tab. */
function call(page: Page, module: string, step: string) {
  return syscallsTab(page).locator(`[data-module="${module}"][data-step="${step}"]`).last();
}

test("the System calls tab traces this lab: bind, listen, connect, a 1024-byte read and close, each in its call; EADDRINUSE on bind when the port is occupied", async ({
  page,
}) => {
  test.slow();
  await openLab(page);
  const status = await page.getByText(/your lab uses port \d+/).textContent();
  const port = Number(/port (\d+)/.exec(status ?? "")?.[1]);

  await test.step("opening the tab resets the lab into a worker under strace", async () => {
    await showDockTab(page, "System calls");
    await expect(syscallsTab(page).getByRole("status")).toContainText("Traced by strace", {
      timeout: 30_000,
    });
    await expect(syscallsTab(page)).toContainText("Run the modules");
  });

  await test.step("a full run shows each call's real system calls", async () => {
    await page.getByRole("button", { name: /Start server/ }).click();
    await expect(moduleState(page, "server")).toHaveText("running — blocked in accept");
    await page.getByRole("button", { name: /Start client/ }).click();
    await expect(moduleState(page, "server")).toHaveText("loaded");
    await expect(moduleState(page, "client")).toHaveText("loaded");
    const bind = call(page, "server", "bind");
    await expect(bind).toContainText(
      new RegExp(
        `bind\\(\\d+<socket:\\[\\d+\\]>, \\{sa_family=AF_INET, sin_port=htons\\(${port}\\).*\\) = 0`,
      ),
    );
    await expect(bind).toContainText(/listen\(.*\) = 0/);
    await expect(bind).toContainText("server.listen()");
    await expect(call(page, "server", "sock_create_kern")).toContainText(
      "no syscall: Node creates the fd when it is used",
    );
    await expect(call(page, "client", "connect")).toContainText(
      new RegExp(`connect\\(.*htons\\(${port}\\).*\\) = (-1 EINPROGRESS|0)`),
    );
    await expect(call(page, "server", "kernel_recvmsg")).toContainText(/(read|recvfrom)\(.*\) = 1024/);
    await expect(call(page, "server", "sock_release_conn")).toContainText(/close\(\d+<socket:\[\d+\]>\) = 0/);
    await expect(syscallsTab(page).locator('[aria-current="true"]')).toHaveCount(1);
  });

  await test.step("Step back shows an earlier call's system calls, and none of the calls after it", async () => {
    const current = syscallsTab(page).locator('[aria-current="true"]');
    const back = page.getByRole("button", { name: /Step back/ });
    for (let i = 0; i < 12 && (await current.getAttribute("data-step")) !== "sock_release_listener"; i++)
      await back.click();
    await expect(current).toHaveAttribute("data-step", "sock_release_listener");
    await expect(current).toContainText(/close\(\d+<socket:\[\d+\]>\) = 0/);
    await expect(syscallsTab(page).locator('[data-step="sock_release_conn"]')).toHaveCount(0);
    await page.getByRole("button", { name: "Go to live" }).click();
    await expect(current).toHaveAttribute("data-step", "sock_release_conn");
  });

  await test.step("the tab passes axe", async () => {
    const results = await axeScan(page, ".dock-panel-syscalls");
    const serious = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
    expect(serious.map((v) => v.id)).toEqual([]);
  });

  await test.step("with the port occupied, bind( fails with EADDRINUSE", async () => {
    await page.getByRole("button", { name: /Stop client/ }).click();
    await page.getByRole("button", { name: /Stop server/ }).click();
    await expect(moduleState(page, "server")).toHaveText("not loaded");
    await page.getByRole("button", { name: /Occupy port \d+/ }).click();
    await expect(page.getByRole("button", { name: /Free port \d+/ })).toHaveAttribute("aria-pressed", "true");
    await page.getByRole("button", { name: /Start server/ }).click();
    await expect(moduleState(page, "server")).toHaveText("failed (-98)");
    await expect(call(page, "server", "bind")).toContainText(/bind\(.*\) = -1 EADDRINUSE/);
  });
});
