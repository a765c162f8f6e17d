import { readdirSync, readlinkSync } from "node:fs";
import type { Page } from "@playwright/test";
import { realKernelForTests } from "../test/helpers/realKernelRequirement.ts";
import { currentLine, expect, moduleState, openLab, printkPane, showDockTab, test } from "./fixtures.ts";

const availability = realKernelForTests();

// A boot takes 2–20 s of software emulation depending on the machine's load.
const BOOT_MS = 90_000;
const STEP_MS = 30_000;

/** The QEMU processes of the app under test: qemu-system-* running in this checkout (the app's cwd). */
function appQemus(): number[] {
  const here = process.cwd();
  return readdirSync("/proc")
    .filter((entry) => /^\d+$/.test(entry))
    .filter((pid) => {
      try {
        return (
          readlinkSync(`/proc/${pid}/exe`).includes("qemu-system") &&
          readlinkSync(`/proc/${pid}/cwd`) === here
        );
      } catch {
        return false;
      }
    })
    .map(Number);
}

async function realKernelStepMode(page: Page, listingName: RegExp): Promise<void> {
  await openLab(page);
  await page.getByRole("button", { name: listingName }).click();
  await page.getByRole("button", { name: /Real kernel/ }).click();
  await expect(page.getByRole("button", { name: /Real kernel/ })).toHaveAttribute("aria-pressed", "true");
  // The VM boots as soon as the real kernel is picked: it may be on its way, or up.
  await expect(
    page.getByText(
      /Real kernel( [\d.]+-\S+)?: (ready to boot a VM|building the modules|booting the VM|VM running)/,
    ),
  ).toBeVisible();
  const stepMode = page.getByRole("button", { name: "Step mode" });
  await stepMode.click();
  await expect(stepMode).toHaveAttribute("aria-pressed", "true");
  await expect(stepMode).toHaveAccessibleDescription(/stops the whole VM before each call/);
}

function pauseView(page: Page, module: "server" | "client") {
  return page.getByRole("region", { name: `${module}: what the kernel holds` });
}

async function guestUptime(page: Page, module: "server" | "client"): Promise<number> {
  return Number(
    await pauseView(page, module).locator("[data-guest-uptime]").getAttribute("data-guest-uptime"),
  );
}

test.describe("Step mode on the real kernel", () => {
  test.skip(!availability.ok, "the real-kernel engine is not installed");
  test.setTimeout(240_000);

  test("fixed pair: Step server walks its calls with the VM paused on each line; the client runs while the server waits in accept", async ({
    page,
  }) => {
    await realKernelStepMode(page, /Fixed/);
    const step = page.getByRole("button", { name: "Step server" });

    await page.getByRole("button", { name: /Start server/ }).click();
    await expect(moduleState(page, "server")).toHaveText("running — paused before sock_create_kern", {
      timeout: BOOT_MS,
    });
    await expect(currentLine(page, "server.c")).toContainText("sock_create_kern(");
    // The pause is one line in the module's header: the lit line stays in view beneath it.
    await expect(pauseView(page, "server").locator("[data-guest-uptime]")).toHaveAccessibleDescription(
      /does not run while QEMU is stopped/,
    );
    expect((await pauseView(page, "server").boundingBox())?.height ?? 99).toBeLessThan(32);
    await expect(currentLine(page, "server.c")).toBeInViewport();

    let before = await guestUptime(page, "server");
    for (const [call, text] of [
      ["bind", "kernel_bind("],
      ["listen", "kernel_listen("],
      ["kthread_run", "kthread_run("],
    ] as const) {
      // The VM stays paused while the learner reads: two seconds of the host's time pass here.
      await page.waitForTimeout(2000);
      await step.click();
      await expect(pauseView(page, "server")).toContainText(`VM paused before ${call}`, { timeout: STEP_MS });
      await expect(currentLine(page, "server.c")).toContainText(text);
      const after = await guestUptime(page, "server");
      // The guest ran only from one call to the next: far less than the 2 s the VM sat paused.
      expect(after - before).toBeLessThan(1);
      expect(after).toBeGreaterThanOrEqual(before);
      before = after;
    }
    await step.click();
    await expect(pauseView(page, "server")).toContainText("VM paused before accept", { timeout: STEP_MS });
    await expect(currentLine(page, "server.c")).toContainText("kernel_accept(");
    await expect(pauseView(page, "server")).toContainText(/struct socket at 0x[0-9a-f]+/);
    await expect(pauseView(page, "server")).toContainText("inet_stream_ops");
    await step.click();

    // The server's thread now waits in accept inside the running guest; the client steps meanwhile.
    await page.getByRole("button", { name: /Start client/ }).click();
    await expect(moduleState(page, "client")).toHaveText("running — paused before sock_create_kern", {
      timeout: STEP_MS,
    });
    await page.getByRole("button", { name: "Step client" }).click();
    await expect(moduleState(page, "client")).toHaveText("running — paused before connect", {
      timeout: STEP_MS,
    });
    await page.getByRole("button", { name: "Continue client" }).click();

    await expect(pauseView(page, "server")).toContainText("VM paused before kernel_recvmsg", {
      timeout: STEP_MS,
    });
    await expect(currentLine(page, "server.c")).toContainText("kernel_recvmsg(");
    // The Call tab: kernel_recvmsg's arguments as read from guest memory at this breakpoint.
    await showDockTab(page, "Call");
    const call = page.locator(".dock-panel-calls .call-view");
    const arg = (name: string) => call.locator(`tr[data-arg="${name}"]`);
    await expect(call.locator(".call-title code")).toHaveText("kernel_recvmsg");
    await expect(call).toContainText("Read from the guest's memory at the breakpoint");
    await expect(arg("len").locator("td").last()).toHaveText("1024");
    await expect(arg("num").locator("td").last()).toHaveText("1");
    await expect(arg("vec").locator('[data-field="iov_len"] dd')).toHaveText("1024");
    await expect(arg("sock").locator('[data-field="state"] dd')).toHaveText("SS_CONNECTED");
    await expect(arg("sock").locator('[data-field="ops"] dd')).toHaveText("&inet_stream_ops");
    await expect(call.locator("[data-return]")).toHaveText("not called yet");
    await step.click();
    // The server goes on to its next call and pauses there; Step back shows kernel_recvmsg's return:
    // 1024, and the buffer's bytes as read after the call.
    await expect(pauseView(page, "server")).toContainText("VM paused before sock_release", {
      timeout: STEP_MS,
    });
    const title = call.locator(".call-title code");
    const returned = call.locator("[data-return]");
    const back = page.getByRole("button", { name: /Step back/ });
    for (
      let i = 0;
      i < 12 &&
      !((await title.textContent()) === "kernel_recvmsg" && (await returned.textContent()) === "1024");
      i++
    )
      await back.click();
    await expect(title).toHaveText("kernel_recvmsg");
    await expect(returned).toHaveText("1024");
    await expect(call.locator("pre.hexdump")).toContainText("00000000  01 01 01 01 01 01 01 01");
    // One more Step back: the view follows the moment shown, to the call before it.
    await back.click();
    await expect(title).not.toHaveText("kernel_recvmsg");
    await page.getByRole("button", { name: "Go to live" }).click();
    // What kernel_recvmsg returned is told in the dock's Bytes received tab.
    await showDockTab(page, "Bytes received");
    await expect(page.getByText(/kernel_recvmsg \(line \d+, [^)]*\) returned 1024/)).toBeVisible({
      timeout: STEP_MS,
    });
    await page.getByRole("button", { name: "Continue server" }).click();

    // Reset in step mode runs the exit functions without stopping (Stop would stop in them), and says so.
    const reset = page.getByRole("button", { name: "Reset the lab" });
    await expect(reset).toHaveAccessibleDescription(/exit functions run without stopping/);
    await expect(page.getByRole("button", { name: /Stop server/ })).toHaveAccessibleDescription(
      /exit function stops before each of its calls too/,
    );
    await expect(moduleState(page, "client")).toHaveText("loaded", { timeout: STEP_MS });
    await reset.click();
    await expect(moduleState(page, "server")).toHaveText("not loaded", { timeout: STEP_MS });
    await expect(moduleState(page, "client")).toHaveText("not loaded", { timeout: STEP_MS });
    await showDockTab(page, "printk");
    await expect(printkPane(page)).toContainText(
      "[reset in step mode: the exit functions run without stopping",
    );
  });

  test("published pair: paused at kernel_recvmsg, client_sock's ops is NULL; Continue gives the real oops", async ({
    page,
  }) => {
    await realKernelStepMode(page, /As published/);
    await page.getByRole("button", { name: /Start server/ }).click();
    await expect(moduleState(page, "server")).toHaveText("running — paused before sock_create_kern", {
      timeout: BOOT_MS,
    });
    for (const call of ["bind", "listen", "accept"]) {
      await page.getByRole("button", { name: "Step server" }).click();
      await expect(moduleState(page, "server")).toHaveText(`running — paused before ${call}`, {
        timeout: STEP_MS,
      });
    }
    await page.getByRole("button", { name: "Step server" }).click();
    await page.getByRole("button", { name: /Start client/ }).click();
    await expect(moduleState(page, "client")).toHaveText("running — paused before sock_create_kern", {
      timeout: STEP_MS,
    });
    await page.getByRole("button", { name: "Continue client" }).click();
    // Which comes first after connect is the guest scheduler's choice: the server's recvmsg or the client's send.
    await expect(moduleState(page, "server")).toHaveText("running — paused before kernel_recvmsg", {
      timeout: STEP_MS,
    });
    const view = pauseView(page, "server");
    await expect(view).toContainText("client_sock: struct socket at 0x");
    await expect(view.locator('[data-field="ops"]')).toHaveText(
      "NULL: no proto_ops, a call through it faults",
    );
    await expect(currentLine(page, "server.c")).toContainText("kernel_recvmsg(client_sock");

    await page.getByRole("button", { name: "Continue server" }).click();
    const oops = page.getByRole("region", { name: "Kernel oops" }).first();
    await expect(oops).toBeVisible({ timeout: STEP_MS });
    await expect(oops.locator(".oops-text")).toContainText("BUG: kernel NULL pointer dereference");
  });

  test("a VM powered off while paused leaves no QEMU process", async ({ page }) => {
    // The other e2e worker's learners may boot VMs on the same app meanwhile: this page's VM is one
    // that was not there before it started, and powering it off ends one of those.
    const before = new Set(appQemus());
    const ours = () => appQemus().filter((pid) => !before.has(pid));
    await realKernelStepMode(page, /Fixed/);
    await page.getByRole("button", { name: /Start server/ }).click();
    await expect(moduleState(page, "server")).toHaveText("running — paused before sock_create_kern", {
      timeout: BOOT_MS,
    });
    const booted = ours();
    expect(booted.length).toBeGreaterThanOrEqual(1);
    // A client started now waits behind the paused server, and says why.
    await page.getByRole("button", { name: /Start client/ }).click();
    await expect(moduleState(page, "client")).toHaveText(
      "waiting — the whole VM is paused at server.c line 71, so nothing of this module runs yet",
    );
    await expect(page.getByRole("region", { name: "client module" }).locator(".step-where")).toHaveText(
      "the whole VM is paused at server.c line 71 — press Step server or Continue server",
    );
    await page.getByRole("button", { name: "Power off VM" }).click();
    await expect(moduleState(page, "server")).toHaveText("not loaded", { timeout: STEP_MS });
    await expect
      .poll(() => booted.filter((pid) => appQemus().includes(pid)).length, { timeout: 10_000 })
      .toBeLessThan(booted.length);
  });
});
