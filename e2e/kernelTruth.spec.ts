import { expect, listing, moduleState, openLab, showDockTab, test } from "./fixtures.ts";
import type { Page } from "@playwright/test";
import { axeScan } from "./axeScan.ts";

function socketStates(page: Page) {
  return page.getByRole("region", { name: "Socket states" });
}

test("after a faithful run the client's socket sits in CLOSE_WAIT in the Socket states pane", async ({
  page,
}) => {
  await openLab(page);

  await test.step("the server blocks in accept: the kernel lists its socket in LISTEN", async () => {
    await page.getByRole("button", { name: /Start server/ }).click();
    await showDockTab(page, "Socket states");
    await expect(moduleState(page, "server")).toHaveText("running — blocked in accept");
    await expect(
      socketStates(page).getByRole("row").filter({ hasText: "server: listening socket" }),
    ).toContainText("LISTEN");
  });

  await test.step("the client connects and sends; the server reads, releases its side, and the client never does", async () => {
    await page.getByRole("button", { name: /Start client/ }).click();
    await expect(moduleState(page, "client")).toHaveText("loaded");
    await expect(moduleState(page, "server")).toHaveText("loaded");
    const clientRow = socketStates(page).getByRole("row").filter({ hasText: "client socket" });
    await expect(clientRow).toContainText("CLOSE_WAIT");
    await expect(socketStates(page)).toContainText("until reboot");
    await expect(
      socketStates(page).getByRole("row").filter({ hasText: "server: accepted connection" }),
    ).toContainText("FIN_WAIT2");
  });

  await test.step("the Call tab shows kernel_recvmsg's decoded arguments (the twin's, said so) after Step back, its return value and bytes", async () => {
    await showDockTab(page, "Call");
    const view = page.locator(".dock-panel-calls .call-view");
    const title = view.locator(".call-title code");
    const back = page.getByRole("button", { name: /Step back/ });
    // Live, the moment shown is the run's last call; Step back walks to the receive.
    await expect(title).not.toHaveText("kernel_recvmsg");
    for (let i = 0; i < 12 && (await title.textContent()) !== "kernel_recvmsg"; i++) await back.click();
    await expect(title).toHaveText("kernel_recvmsg");
    await expect(view).toContainText("The TS twin's values");
    await expect(view.getByRole("rowheader", { name: "len" })).toBeVisible();
    await expect(view.locator('tr[data-arg="len"] td').last()).toHaveText("1024");
    await expect(view.locator('tr[data-arg="flags"] td').last()).toHaveText("0");
    await expect(view.locator('tr[data-arg="vec"] [data-field="iov_len"] dd')).toHaveText("1024");
    await expect(view.locator('tr[data-arg="sock"] [data-field="state"] dd')).toHaveText("SS_CONNECTED");
    await expect(view.locator("[data-return]")).toHaveText("1024");
    await expect(view.locator("pre.hexdump")).toContainText(
      "00000000  01 01 01 01 01 01 01 01  01 01 01 01 01 01 01 01  |................|",
    );
    // One more Step back: the view follows to the call before (accept's or the client's).
    await back.click();
    await expect(title).not.toHaveText("kernel_recvmsg");
    // axe on the tab alone (the whole page's sweep is accessibility.spec.ts's).
    const results = await axeScan(page, ".dock-panel-calls");
    const serious = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
    expect(serious.map((v) => v.id)).toEqual([]);
    await page.getByRole("button", { name: "Go to live" }).click();
    await showDockTab(page, "Socket states");
  });

  await test.step("rmmod of both leaves the leaked socket where it was", async () => {
    await page.getByRole("button", { name: /Stop client/ }).click();
    await page.getByRole("button", { name: /Stop server/ }).click();
    await expect(moduleState(page, "client")).toHaveText("not loaded");
    await expect(moduleState(page, "server")).toHaveText("not loaded");
    await expect(socketStates(page).getByRole("row").filter({ hasText: "client socket" })).toContainText(
      "CLOSE_WAIT",
    );
  });

  await test.step("the sequence diagram tells the same story to a screen reader", async () => {
    await showDockTab(page, "Sequence");
    const diagram = page.getByRole("img", { name: /Sequence of the lab's connection/ });
    await expect(diagram).toBeVisible();
    await expect(diagram).toHaveAccessibleName(/client: connect returned 0/);
    await expect(diagram).toHaveAccessibleName(/server → client: FIN/);
    await expect(diagram).toHaveAccessibleName(/client's socket is CLOSE_WAIT/);
  });

  await test.step("the bytes view shows the 1024 bytes received and why %s reads past them", async () => {
    await showDockTab(page, "Bytes received");
    const bytes = page.getByRole("region", { name: "Bytes received" });
    await expect(bytes).toContainText(
      "00000000  01 01 01 01 01 01 01 01  01 01 01 01 01 01 01 01  |................|",
    );
    await expect(bytes).toContainText("00000400");
    await expect(bytes).toContainText("No NUL inside the buffer");
    await expect(bytes).toContainText("991 bytes");
    await bytes.getByText(/How dmesg would print this record/).click();
    await expect(bytes.locator("pre.bytes-dmesg")).toBeVisible();
    await expect(bytes.locator("pre.bytes-dmesg")).toContainText("receive message:");
    await expect(bytes.locator("pre.bytes-dmesg")).toContainText("\\x01\\x01\\x01");
  });
});

test("both listings show; the published one with its bugs annotated, the fixed one closing every socket", async ({
  page,
}) => {
  await openLab(page);

  await test.step("the published listings mark at least nine bugs on their lines, and list them with line numbers", async () => {
    // The listings' notes render after their highlighting: read the count until it settles.
    await expect
      .poll(
        async () =>
          (await listing(page, "server.c").locator(".note-bug").count()) +
          (await listing(page, "client.c").locator(".note-bug").count()),
      )
      .toBeGreaterThanOrEqual(9);
    await expect(
      listing(page, "server.c")
        .locator("[data-line]")
        .filter({ hasText: "memset(recvbuf, 0, sizeof(recvbuf))" }),
    ).toContainText("clears sizeof(char *) = 8 bytes");
    const serverBugs = page
      .getByRole("region", { name: "server module" })
      .getByText(/bugs in server\.c as published/);
    await serverBugs.click();
    const items = page.getByRole("list", { name: "Bugs in server.c" }).getByRole("listitem");
    await expect.poll(() => items.count()).toBeGreaterThanOrEqual(9);
    await expect(items.first()).toContainText(/^Line \d+:/);
  });

  await test.step("switching to the fixed listing shows the Linux 6.x calls", async () => {
    const fixed = page.getByRole("button", { name: "Fixed (Linux 6.x)" });
    await fixed.click();
    await expect(fixed).toHaveAttribute("aria-pressed", "true");
    await expect(page.getByRole("button", { name: "As published" })).toHaveAttribute("aria-pressed", "false");
    await expect(listing(page, "server.c")).toContainText("kernel_accept(sock, &newsock, 0)");
    await expect(listing(page, "client.c")).toContainText("kernel_connect(");
    await expect(listing(page, "server.c").locator(".note-bug")).toHaveCount(0);
  });

  await test.step("the fixed server returns from insmod at once; after both rmmods only TIME_WAIT is left", async () => {
    await page.getByRole("button", { name: /Start server/ }).click();
    await expect(moduleState(page, "server")).toHaveText("loaded");
    await page.getByRole("button", { name: /Start client/ }).click();
    await expect(moduleState(page, "client")).toHaveText("loaded");
    await showDockTab(page, "Bytes received");
    await expect(page.getByRole("region", { name: "Bytes received" })).toContainText(
      "server: receive message (1024 bytes)",
    );
    await page.getByRole("button", { name: /Stop client/ }).click();
    await expect(moduleState(page, "client")).toHaveText("not loaded");
    await page.getByRole("button", { name: /Stop server/ }).click();
    await expect(moduleState(page, "server")).toHaveText("not loaded");
    await showDockTab(page, "Socket states");
    const rows = socketStates(page)
      .getByRole("row")
      .filter({ hasNot: page.getByRole("columnheader") });
    await expect(rows).toHaveCount(1);
    await expect(rows).toContainText("TIME_WAIT");
    await expect(socketStates(page)).toContainText("TIME_WAIT is normal");
  });
});
