import { readFile } from "node:fs/promises";
import { detectRealKernel } from "../server/realKernel/availability.ts";
import { kernelRelease } from "../server/realKernel/kernelReleases.ts";
import {
  currentLine,
  expect,
  listing,
  moduleState,
  openKernelMenu,
  openLab,
  printkLog,
  printkPane,
  showDockTab,
  test,
} from "./fixtures.ts";

const six1 = detectRealKernel("6.1");
const six12 = detectRealKernel("6.12");
// Opt-in: LAB_KERNELS="6.12 7.3" bash scripts/install-real-kernel.sh (trixie-backports' 7.3, its
// modules built with gcc-14 in a trixie build root).
const seven3 = detectRealKernel("7.3");
// Bullseye's 5.10, built with gcc-12: its headers by default ("Built here"), its image opt-in
// (LAB_KERNELS="6.12 5.10" bash scripts/install-real-kernel.sh).
const five10 = kernelRelease("5.10");

// A boot under software emulation takes 2 s of a free core and many times that on a loaded machine.
const BOOT_MS = 120_000;

/** A release's test: a build and a boot take minutes; skipped, with the command that adds it, when absent. */
function needsRelease(series: string, here: boolean, install: string): void {
  test.setTimeout(240_000);
  test.skip(!here, `Linux ${series} is not here: run ${install} bash scripts/install-real-kernel.sh`);
}

for (const [series, availability, install] of [
  ["6.1", six1, "LAB_KERNELS=6.1"],
  ["6.12", six12, "LAB_KERNELS=6.12"],
  ["7.3", seven3, 'LAB_KERNELS="6.12 7.3"'],
] as const) {
  test(`the fixed pair runs on ${series} picked from the release picker: the guest's uname -r names it, the lines are lit`, async ({
    page,
  }) => {
    needsRelease(series, availability.ok, install);
    if (!availability.ok) return;
    await openLab(page);
    await openKernelMenu(page);
    const picker = page.getByRole("combobox", { name: "Kernel" });
    await picker.selectOption(series);
    await expect(picker).toHaveValue(series);
    await expect(page).toHaveURL(new RegExp(`release=${series.replace(".", "\\.")}`));
    await expect(
      picker.locator("optgroup[label='Built and run here'] option", { hasText: series }).first(),
    ).toBeAttached();
    await page.getByRole("button", { name: /Real kernel/ }).click();
    const fixed = page.getByRole("button", { name: "Fixed (Linux 6.x)" });
    await fixed.click();
    await expect(fixed).toHaveAttribute("aria-pressed", "true");
    // Step mode: the stepper finds the module's calls with this release's symbols and struct layout.
    const stepMode = page.getByRole("button", { name: "Step mode" });
    await stepMode.click();
    await expect(stepMode).toHaveAttribute("aria-pressed", "true");
    await page.getByRole("button", { name: /Start server/ }).click();
    // The release the init read from uname -r in the guest, said before "VM running".
    const release = availability.tools.release.replaceAll(".", "\\.").replace("+", "\\+");
    await expect(page.getByText(new RegExp(`Real kernel ${release}: VM running`))).toBeVisible({
      timeout: BOOT_MS,
    });
    await expect(moduleState(page, "server")).toHaveText("running — paused before sock_create_kern", {
      timeout: BOOT_MS,
    });
    await expect(currentLine(page, "server.c")).toContainText("sock_create_kern(");
    await page.getByRole("button", { name: "Continue server" }).click();
    await page.getByRole("button", { name: /Start client/ }).click();
    await expect(moduleState(page, "client")).toHaveText("running — paused before sock_create_kern", {
      timeout: BOOT_MS,
    });
    await expect(currentLine(page, "client.c")).toContainText("sock_create_kern(");
    await page.getByRole("button", { name: "Continue client" }).click();
    await expect(printkPane(page)).toContainText("\\x01\\x01", { timeout: BOOT_MS });
    await expect
      .poll(() => printkLog(page), { timeout: 30_000 })
      .toContain("server: receive message (1024 bytes)");
    await expect(page.getByRole("region", { name: "Kernel oops" })).toHaveCount(0);
  });
}

test("the diff between 4.2 and 6.19 shows the sock_create_kern, accept and sockaddr_unsized changes with their commits: sock_create_kern's as already in 4.2", async ({
  page,
}) => {
  await openLab(page);
  await openKernelMenu(page);
  await page.getByText("Diff between kernel releases").click();
  await page.getByTestId("diff-from").selectOption("4.2");
  await page.getByTestId("diff-to").selectOption("6.19");
  const diff = page.locator(".release-diff");
  const server = diff.getByRole("region", { name: "server.c" });
  const hunks = server.getByTestId("diff-hunk");
  await expect(hunks).toHaveCount(2);
  await expect(server).toContainText("struct proto_accept_arg");
  await expect(server).toContainText("struct sockaddr_unsized");
  for (const commit of ["cdfbabfb2f0c", "92ef0fd55ac8", "bf33247a90d3", "0e50474fa514"])
    await expect(hunks.getByRole("link", { name: commit })).toHaveAttribute("href", new RegExp(commit));
  // Each hunk names its own call's commit: bind's hunk is not connect's (85cb0757d7e1, the client's).
  await expect(hunks.getByRole("link", { name: "85cb0757d7e1" })).toHaveCount(0);
  await expect(
    diff
      .getByRole("region", { name: "client.c" })
      .getByTestId("diff-hunk")
      .getByRole("link", { name: "85cb0757d7e1" }),
  ).toBeVisible();
  // 4.2 already has sock_create_kern's struct net *: no hunk, said with its commit.
  const already = server.getByTestId("diff-already");
  await expect(already).toContainText("Already in Linux 4.2, so on both sides (no hunk):");
  await expect(already.getByRole("link", { name: "eeb1bd5c40ed" })).toHaveAttribute("href", /eeb1bd5c40ed/);
  // From the text as published (before 4.2) it is a hunk of its own.
  await page.getByTestId("diff-from").selectOption("published");
  await expect(page.getByTestId("diff-from").locator("option:checked")).toHaveText(
    "as published (before 4.2)",
  );
  await expect(hunks.getByRole("link", { name: "eeb1bd5c40ed" })).toBeVisible();
  await expect(server.getByTestId("diff-already")).toHaveCount(0);
  await expect(server).toContainText("sock_create_kern(&init_net, AF_INET");
});

test("picking 6.19 shows the fixed listing as 6.19 builds it with each step lit on its line, and the published one as published, noting what 6.19 builds", async ({
  page,
}) => {
  await openLab(page, "?pace=instant&release=6.19");
  const accept = listing(page, "server.c").locator("[data-line]", { hasText: "sock->ops->accept(" });
  await expect(accept).toContainText("sock->ops->accept(sock,client_sock,10);");
  await expect(accept).toContainText(
    "Linux 6.19 builds this line as: ret=sock->ops->accept(sock,client_sock,&(struct proto_accept_arg){ .flags = 10, .kern = true });",
  );
  await expect(accept).toContainText("4.11: cdfbabfb2f0c; 6.10: 92ef0fd55ac8");
  await page.getByRole("button", { name: "Fixed (Linux 6.x)" }).click();
  await page.getByRole("button", { name: "Step mode" }).click();
  await page.getByRole("button", { name: "Start server" }).click();
  await expect(currentLine(page, "server.c")).toContainText("sock_create_kern(&init_net, AF_INET");
  await page.getByRole("button", { name: "Step server" }).click();
  const bind = currentLine(page, "server.c");
  await expect(bind).toContainText("kernel_bind(sock, (struct sockaddr_unsized *)&s_addr");
  await expect(bind).toContainText("Linux 6.19's line (6.19: bf33247a90d3, 0e50474fa514)");
  // The picked release changes the listing under the lit line; the step stays on its line.
  const line = await bind.getAttribute("data-line");
  await openKernelMenu(page);
  await page.getByRole("combobox", { name: "Kernel" }).selectOption("4.16");
  // The Kernel menu lies over the module's controls until it is closed.
  await page.keyboard.press("Escape");
  await expect(currentLine(page, "server.c")).toHaveAttribute("data-line", line ?? "");
  await expect(currentLine(page, "server.c")).toContainText("kernel_bind(sock, (struct sockaddr *)&s_addr");
  await expect(listing(page, "server.c")).toContainText(
    "kernel_setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, (char *)&(int){ 1 }, sizeof(int));",
  );
  await page.getByRole("button", { name: "Continue server" }).click();
});

test("picking 7.3 makes the Node lab print 7.1's one-line init warning; an exported run carries the release, and opening it shows that release's listings", async ({
  page,
}) => {
  await openLab(page, "?pace=instant&release=7.3");
  await page.getByRole("button", { name: "Start server" }).click();
  await page.getByRole("button", { name: "Start client" }).click();
  await expect(moduleState(page, "server")).toHaveText("loaded");
  // From v7.1-rc1, do_init_module() prints one line naming the module, and no "loading module anyway".
  await expect
    .poll(() => printkLog(page))
    .toContain("client: init suspiciously returned 1024, it should follow 0/-E convention");
  expect(await printkLog(page)).not.toContain("loading module anyway");
  const download = page.waitForEvent("download");
  await page.getByRole("button", { name: "Export run" }).click();
  const text = await readFile(await (await download).path(), "utf8");
  expect(JSON.parse(text)).toMatchObject({ kernelSeries: "7.3", releaseEdits: true, variant: "published" });
  await openLab(page);
  await expect(page.getByRole("button", { name: /^Kernel 6\.1\b/ })).toBeVisible();
  await page.getByLabel("Run file to open").setInputFiles({
    name: "run.json",
    mimeType: "application/json",
    buffer: Buffer.from(text),
  });
  await expect(page.getByTestId("run-release")).toHaveText("Listings as Linux 7.3 builds them.");
  await expect(
    listing(page, "server.c").locator("[data-line]", { hasText: "sock->ops->bind(" }),
  ).toContainText(
    "Linux 7.3 builds this line as: ret=sock->ops->bind(sock,(struct sockaddr_unsized *)&s_addr",
  );
  // The live pick is untouched: the run is only shown.
  await expect(page.getByRole("button", { name: /^Kernel 6\.1\b/ })).toBeVisible();
});

test("the printk record limit the bytes view states is the picked release's: 992 on 6.1, 1024 on 6.12, each naming where it was checked", async ({
  page,
}) => {
  await openLab(page);
  await page.getByRole("button", { name: /Start server/ }).click();
  await expect(moduleState(page, "server")).toHaveText("running — blocked in accept");
  await page.getByRole("button", { name: /Start client/ }).click();
  await expect(moduleState(page, "server")).toHaveText("loaded");
  await showDockTab(page, "Bytes received");
  const bytes = page.getByRole("region", { name: "Bytes received" });
  await expect(bytes).toContainText("LOG_LINE_MAX = 992 bytes");
  await expect(bytes).toContainText("Linux 6.1; checked on 6.1.192");
  await expect(bytes).toContainText("991 bytes");
  await openKernelMenu(page);
  await page.getByRole("combobox", { name: "Kernel" }).selectOption("6.12");
  await expect(bytes).toContainText("PRINTKRB_RECORD_MAX = 1024 bytes");
  await expect(bytes).toContainText("Linux 6.12; checked on 6.12.118");
  await expect(bytes).toContainText("1023 bytes");
});

for (const [series, availability, install] of [
  ["6.12", six12, "LAB_KERNELS=6.12"],
  ["7.3", seven3, 'LAB_KERNELS="6.12 7.3"'],
] as const) {
  test(`picking ${series} with its edits off builds the published listing as written against ${series}'s real headers and shows what gcc printed`, async ({
    page,
  }) => {
    needsRelease(series, availability.ok, install);
    const name = series.replace(".", "\\.");
    await openLab(page, `?pace=instant&release=${series}`);
    await expect(page.getByRole("button", { name: new RegExp(`^Kernel ${name}\\b`) })).toBeVisible();
    await openKernelMenu(page);
    const edits = page.getByRole("checkbox", { name: "Apply this release's edits" });
    await edits.uncheck();
    await expect(page).toHaveURL(/edits=off/);
    await page.getByRole("button", { name: /Real kernel/ }).click();
    const output = page.locator("pre.build-output");
    await expect(output).toContainText("published listing:", { timeout: BOOT_MS });
    // 7.3's gcc-14 (in the trixie build root) says more first: argument 1 makes a pointer from an int.
    await expect(output).toContainText(/error: too few arguments to function [‘']sock_create_kern[’']/);
    await expect(output).toContainText(/server\.c:24:\d+/);
    // Edits back on: the same release builds and its boot starts (the boot itself is the run test's
    // above; the page closing powers this VM off). The picker lives in the Kernel menu, which closed
    // when Real kernel was pressed.
    await openKernelMenu(page);
    await edits.check();
    await expect(
      page
        .getByRole("status")
        .filter({ hasText: new RegExp(`^Real kernel ${name}\\.\\S+: (booting the VM…|VM running)`) }),
    ).toBeVisible({ timeout: BOOT_MS });
    await expect(output).toHaveCount(0);
  });
}

test("picking 5.10 with its edits off builds the published listing as written against 5.10's real headers and shows what gcc printed; with them on both listings build, and the engine says 5.10 cannot boot here", async ({
  page,
}) => {
  test.setTimeout(240_000);
  test.skip(
    !five10,
    "Linux 5.10's headers are not here: run bash scripts/install-real-kernel.sh (its default LAB_KERNELS unpacks them)",
  );
  if (!five10) return;
  await openLab(page, "?pace=instant&release=5.10&edits=off");
  await openKernelMenu(page);
  await expect(page.getByRole("checkbox", { name: "Apply this release's edits" })).not.toBeChecked();
  // Headers only (the default): "Built here". With its image (LAB_KERNELS="6.12 5.10"): built and run.
  const group = five10.vmlinuz ? "Built and run here" : "Built here";
  await expect(
    page
      .getByRole("combobox", { name: "Kernel" })
      .locator(`optgroup[label='${group}'] option`, { hasText: five10.release }),
  ).toBeAttached();
  await page.keyboard.press("Escape");
  await page.getByRole("button", { name: /Real kernel/ }).click();
  const output = page.locator("pre.build-output");
  await expect(output).toContainText("published listing:", { timeout: BOOT_MS });
  await expect(output).toContainText(/error: too few arguments to function [‘']sock_create_kern[’']/);
  await expect(output).toContainText(/server\.c:24:\d+/);
  if (five10.vmlinuz) return;
  // Edits back on: both listings build against 5.10's headers; no VM, and the engine says why and how.
  await openKernelMenu(page);
  await page.getByRole("checkbox", { name: "Apply this release's edits" }).check();
  await expect(page.getByRole("status").filter({ hasText: "both listings built" })).toHaveText(
    new RegExp(
      `^Real kernel ${five10.release.replaceAll(".", "\\.")}: both listings built against its real headers( \\(in [\\d.]+ s\\))?\\. It cannot boot here: its image is not on this machine\\.$`,
    ),
    { timeout: BOOT_MS },
  );
  await expect(output).toHaveCount(0);
  await expect(page.locator(".engine-boot-how-to code")).toHaveText(
    "LAB_KERNELS=5.10 bash scripts/install-real-kernel.sh",
  );
  // Start server on a release that does not boot here: no VM, the shell says why.
  await page.keyboard.press("Escape");
  await page.getByRole("button", { name: /Start server/ }).click();
  await expect(page.getByText(/insmod: Linux 5\.10\.\S+ is built here but cannot boot here/)).toBeVisible();
  await expect(moduleState(page, "server")).toHaveText("not loaded");
});
