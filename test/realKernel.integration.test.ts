import { readFileSync } from "node:fs";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type RunningApp, startApp } from "../server/app.ts";
import { detectRealKernel } from "../server/realKernel/availability.ts";
import { buildPair, sourcesFor } from "../server/realKernel/build.ts";
import { functionLine, printkFormats } from "../shared/realKernelLines.ts";
import { LabClient } from "./helpers/labClient.ts";

const availability = detectRealKernel();
if (!availability.ok) {
  console.warn(
    `real-kernel tests skipped: missing ${availability.missing.join(", ")}; run \`${availability.installCommand}\``,
  );
}

// Software emulation: a boot takes about 2 s of a free core, longer when the machine is busy.
const BOOT_MS = 60_000;

let app: RunningApp;
const clients: LabClient[] = [];

beforeAll(async () => {
  app = await startApp({ port: 0, labPort: 0 });
});

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
});

afterAll(async () => {
  await app?.close();
});

async function realKernelLab(variant: "published" | "fixed"): Promise<LabClient> {
  const lab = await LabClient.open(app.url);
  clients.push(lab);
  lab.send({ type: "engine.select", engine: "real-kernel" });
  lab.send({ type: "variant.select", variant });
  await lab.waitFor((e) => e.type === "engine" && e.status === "available");
  await lab.waitFor((e) => e.type === "settings" && e.variant === variant);
  return lab;
}

function printkOf(lab: LabClient, text: string) {
  return lab.of("printk").find((e) => e.text.startsWith(text));
}

function lineOf(variant: "published" | "fixed", module: "server" | "client", format: string): number {
  const cText = readFileSync(`shared/listings/${variant}/${module}.c`, "utf8");
  const found = printkFormats(cText).find((f) => f.format.startsWith(format));
  if (!found) throw new Error(`no printk "${format}" in ${variant}/${module}.c`);
  return found.cLine;
}

describe.skipIf(!availability.ok)("the C listings in a real Linux kernel (QEMU)", () => {
  it("builds both pairs with kbuild against the installed headers", async () => {
    if (!availability.ok) return;
    for (const variant of ["published", "fixed"] as const) {
      const built = await buildPair(sourcesFor(variant), availability.tools.release, availability.tools.buildDir);
      expect(built.ok, built.ok ? "" : built.output).toBe(true);
    }
  }, 120_000);

  it('gets -111 from the real kernel when the client dials with no server: "Connection refused"', async () => {
    const lab = await realKernelLab("fixed");
    lab.send({ type: "module.load", module: "client" });
    await lab.waitFor((e) => e.type === "module.state" && e.module === "client" && e.state === "failed", BOOT_MS);
    expect(lab.console()).toContain("insmod: can't insert 'client.ko': Connection refused");
    expect(lab.of("module.state").at(-1)).toMatchObject({ module: "client", state: "failed", initResult: -111 });
    expect(lab.of("engine").map((e) => e.status)).toEqual(
      expect.arrayContaining(["available", "building", "booting", "ready"]),
    );
    // The kernel's own stamps, from the guest's clock, not the lab's.
    const init = printkOf(lab, "client:init");
    expect(init).toMatchObject({ source: "client", cLine: lineOf("fixed", "client", "client:init") });
  }, 90_000);

  it('runs the fixed pair to the end: "accept ok", the received text, rmmod of both and no oops', async () => {
    const lab = await realKernelLab("fixed");
    lab.send({ type: "module.load", module: "server" });
    await lab.waitFor((e) => e.type === "module.state" && e.module === "server" && e.state === "live", BOOT_MS);
    lab.send({ type: "module.load", module: "client" });
    await lab.waitFor((e) => e.type === "printk" && e.text.startsWith("server: receive message"), 20_000);
    expect(printkOf(lab, "server: accept ok")).toMatchObject({
      source: "server",
      cLine: lineOf("fixed", "server", "server: accept ok"),
    });
    expect(printkOf(lab, "server: receive message")).toMatchObject({
      cLine: lineOf("fixed", "server", "server: receive message"),
    });
    await lab.waitForState("client", "live");
    lab.send({ type: "module.unload", module: "client" });
    await lab.waitForState("client", "unloaded");
    lab.send({ type: "module.unload", module: "server" });
    await lab.waitForState("server", "unloaded");
    expect(printkOf(lab, "good bye")).toBeDefined();
    expect(lab.of("oops")).toEqual([]);
    expect(lab.printk().some((t) => /BUG:|Oops:/.test(t))).toBe(false);
  }, 90_000);

  it("oopses in sock_recvmsg with the published pair, myserver in the call trace linked to its line", async () => {
    const lab = await realKernelLab("published");
    lab.send({ type: "module.load", module: "server" });
    await lab.waitFor((e) => e.type === "printk" && e.text === "server:listen ok!", BOOT_MS);
    lab.send({ type: "module.load", module: "client" });
    const oops = await lab.waitFor((e) => e.type === "oops", 20_000);
    if (oops.type !== "oops") throw new Error("unreachable");
    expect(oops.text).toMatch(/^BUG: kernel NULL pointer dereference/);
    expect(oops.text).toMatch(/^RIP: 0010:sock_recvmsg\+/m);
    const published = readFileSync("shared/listings/published/server.c", "utf8");
    expect(oops.frames).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ rip: true, name: "sock_recvmsg" }),
        expect.objectContaining({
          name: "myserver",
          module: "server",
          listingModule: "server",
          cLine: functionLine(published, "myserver"),
        }),
      ]),
    );
    expect(printkOf(lab, "server: accept ok")).toMatchObject({ source: "server" });
  }, 90_000);
});
