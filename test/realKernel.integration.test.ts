import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { realKernelForTests } from "./helpers/realKernelRequirement.ts";
import { buildPair, sourcesFor } from "../server/realKernel/build.ts";
import { functionLine, printkFormats } from "../shared/listings/realKernelLines.ts";
import type { ServerEvent } from "../shared/protocol/messages.ts";
import { VARIANTS, type Variant } from "../shared/protocol/steps.ts";
import type { LabClient } from "./helpers/labClient.ts";
import { BOOT_MS, realKernelApp, STEP_MS, TEST_MS } from "./helpers/realKernelLab.ts";

const availability = realKernelForTests();

const labs = realKernelApp();
const realKernelLab = (variant: Variant) => labs.open(variant);

function printkOf(lab: LabClient, text: string) {
  return lab.of("printk").find((e) => e.text.startsWith(text));
}

/** Waits for `match`, but fails at once, with the log, if the VM stops first. */
async function waitInVm(
  lab: LabClient,
  match: (e: ServerEvent) => boolean,
  timeoutMs = STEP_MS,
): Promise<ServerEvent> {
  const from = lab.events.length;
  const stopped = (e: ServerEvent) => e.type === "engine" && e.status === "stopped";
  const found = await lab.waitFor(
    (e) => match(e) || (lab.events.indexOf(e) >= from && stopped(e)),
    timeoutMs,
  );
  if (!match(found)) {
    // Why, in the engine's words (a boot error's message, QEMU's stderr or its exit status), and
    // how far the kernel came: a boot that stops before the init prints no printk at all.
    const why =
      found.type === "engine" ? `${found.reason ?? "no reason"}: ${found.detail ?? "no detail"}` : "";
    const boot =
      lab
        .of("kernel.boot")
        .at(-1)
        ?.records.slice(-15)
        .map((r) => r.text) ?? [];
    throw new Error(
      `the VM stopped first (${why}):\n${[...boot, "--- printk:", ...lab.printk().slice(-30)].join("\n")}`,
    );
  }
  return found;
}

/** What every real-kernel session must hold: one numbering, the boot log folded into one group, no plumbing shown. */
function expectOrderlyLog(lab: LabClient): void {
  const seqs = lab.events.flatMap((e) => ("seq" in e ? [e.seq] : []));
  expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
  expect(new Set(seqs).size).toBe(seqs.length);
  const boots = lab.of("kernel.boot");
  expect(boots.length).toBeGreaterThanOrEqual(1);
  expect(boots[0]?.records.some((r) => r.text.startsWith("Linux version"))).toBe(true);
  expect(lab.printk().filter((t) => t.startsWith("@@"))).toEqual([]);
}

function lineOf(variant: "published" | "fixed", module: "server" | "client", format: string): number {
  const cText = readFileSync(`shared/listings/${variant}/${module}.c`, "utf8");
  const found = printkFormats(cText).find((f) => f.format.startsWith(format));
  if (!found) throw new Error(`no printk "${format}" in ${variant}/${module}.c`);
  return found.cLine;
}

describe.skipIf(!availability.ok)("the C listings in a real Linux kernel (QEMU)", () => {
  it(
    "builds both pairs with kbuild against the installed headers, once: the sessions after get them from the cache",
    async () => {
      if (!availability.ok) return;
      const { release, buildDir } = availability.tools;
      const build = (variant: Variant) => buildPair(sourcesFor(variant), release, buildDir);
      // Both pairs at once: two makes keep both cores of a small machine busy on a cold cache.
      for (const built of await Promise.all(VARIANTS.map(build))) {
        expect(built.ok, built.ok ? "" : built.output).toBe(true);
      }
      // What every later session (the tests below, by way of the engine) asks for: no make again.
      expect((await Promise.all(VARIANTS.map(build))).map((b) => b.ok && b.cached)).toEqual([true, true]);
    },
    TEST_MS,
  );

  it(
    'gets -111 from the real kernel when the client dials with no server: "Connection refused"',
    async () => {
      const lab = await realKernelLab("fixed");
      lab.send({ type: "module.load", module: "client" });
      await waitInVm(
        lab,
        (e) => e.type === "module.state" && e.module === "client" && e.state === "failed",
        BOOT_MS,
      );
      // kmod's words (the guest's insmod is kmod's one finit_module()), as the Node lab's.
      expect(lab.console()).toContain("insmod: ERROR: could not insert module client.ko: Connection refused");
      expect(lab.of("module.state").at(-1)).toMatchObject({
        module: "client",
        state: "failed",
        initResult: -111,
      });
      expect(lab.of("engine").map((e) => e.status)).toEqual(
        // "building" too when no earlier session built the modules in this process.
        expect.arrayContaining(["available", "booting", "ready"]),
      );
      // The kernel's own stamps, from the guest's clock, not the lab's.
      const init = printkOf(lab, "client:init");
      expect(init).toMatchObject({ source: "client", cLine: lineOf("fixed", "client", "client:init") });
      // The kernel's records come before the init's answer that follows them: the record, then the state.
      const failed = lab.events.findIndex((e) => e.type === "module.state" && e.state === "failed");
      expect(lab.events.indexOf(init!)).toBeLessThan(failed);
      expectOrderlyLog(lab);
    },
    TEST_MS,
  );

  it(
    "Reset pressed while the VM boots withdraws the insmod that had not reached the guest and says so, instead of calling it stuck",
    async () => {
      const lab = await realKernelLab("published");
      lab.send({ type: "module.load", module: "server" });
      await lab.waitFor((e) => e.type === "module.state" && e.module === "server" && e.state === "loading");
      lab.send({ type: "lab.reset" });
      await lab.waitFor((e) => e.type === "module.state" && e.module === "server" && e.state === "unloaded");
      const said = lab.console().join("\n");
      expect(said).toMatch(
        /\[lab reset: the insmod of server\.ko had not reached the guest yet, so it was withdrawn; the VM (goes on starting|is left running)\]/,
      );
      expect(said).not.toContain("stuck in its init");
      // The boot goes on, and nothing of the withdrawn insmod runs in it.
      await waitInVm(lab, (e) => e.type === "engine" && e.status === "ready", BOOT_MS);
      expect(printkOf(lab, "server:")).toBeUndefined();
    },
    TEST_MS,
  );

  it(
    "Reset the lab powers off a VM whose server is stuck in accept, and the next insmod boots a fresh kernel",
    async () => {
      const lab = await realKernelLab("published");
      lab.send({ type: "module.load", module: "server" });
      await waitInVm(lab, (e) => e.type === "printk" && e.text.startsWith("server:listen ok"), BOOT_MS);
      lab.send({ type: "lab.reset" });
      await lab.waitFor(
        (e) => e.type === "module.state" && e.module === "server" && e.state === "unloaded",
        STEP_MS,
      );
      expect(lab.console()).toContain(
        "[lab restarted: server.ko was stuck in its init; the VM is powered off, as a real machine would need a reboot]",
      );
      const boots = lab.of("kernel.boot").length;
      const listened = () => lab.printk().filter((text) => text.startsWith("server:listen ok")).length;
      lab.send({ type: "module.load", module: "server" });
      await waitInVm(lab, () => lab.of("kernel.boot").length > boots && listened() === 2, BOOT_MS);
      expectOrderlyLog(lab);
    },
    TEST_MS,
  );

  it(
    'runs the fixed pair to the end: "accept ok", the received text, rmmod of both and no oops',
    async () => {
      const lab = await realKernelLab("fixed");
      lab.send({ type: "module.load", module: "server" });
      await waitInVm(
        lab,
        (e) => e.type === "module.state" && e.module === "server" && e.state === "live",
        BOOT_MS,
      );
      lab.send({ type: "module.load", module: "client" });
      // Cut at the record limit, this record has no newline: the kernel shows it only once another record follows.
      await waitInVm(lab, (e) => e.type === "printk" && e.text.startsWith("server: receive message"));
      expect(printkOf(lab, "server: accept ok")).toMatchObject({
        source: "server",
        cLine: lineOf("fixed", "server", "server: accept ok"),
      });
      expect(printkOf(lab, "server: receive message")).toMatchObject({
        cLine: lineOf("fixed", "server", "server: receive message"),
      });
      // pr_info()'s record: 991 bytes written with the 2-byte KERN_INFO prefix, which is stripped
      // after the cut, so 989 bytes of text: 38 of format, then 951 of the 1024 received (\x01 each).
      expect(printkOf(lab, "server: receive message")?.text).toBe(
        `server: receive message (1024 bytes): ${"\\x01".repeat(951)}`,
      );
      await waitInVm(lab, (e) => e.type === "module.state" && e.module === "client" && e.state === "live");
      lab.send({ type: "module.unload", module: "client" });
      await waitInVm(
        lab,
        (e) => e.type === "module.state" && e.module === "client" && e.state === "unloaded",
      );
      lab.send({ type: "module.unload", module: "server" });
      await waitInVm(
        lab,
        (e) => e.type === "module.state" && e.module === "server" && e.state === "unloaded",
      );
      expect(printkOf(lab, "good bye")).toMatchObject({
        source: "server",
        cLine: lineOf("fixed", "server", "good bye"),
      });
      expect(lab.of("oops")).toEqual([]);
      expect(lab.printk().some((t) => /BUG:|Oops:/.test(t))).toBe(false);
      expectOrderlyLog(lab);
    },
    TEST_MS,
  );

  it(
    "refuses rmmod of the published server while its init waits in accept: BusyBox's rmmod shows delete_module()'s EBUSY",
    async () => {
      const lab = await realKernelLab("published");
      lab.send({ type: "module.load", module: "server" });
      await waitInVm(lab, (e) => e.type === "printk" && e.text === "server:listen ok!", BOOT_MS);
      lab.send({ type: "module.unload", module: "server" });
      await waitInVm(lab, (e) => e.type === "console" && e.text.startsWith("rmmod:"));
      // BusyBox calls delete_module() at once; the kernel refuses a module that is not LIVE (kmod's
      // rmmod would have stopped earlier, at the reference init holds: "Module server is in use").
      expect(lab.console()).toContain("rmmod: can't unload module 'server': Device or resource busy");
      expectOrderlyLog(lab);
    },
    TEST_MS,
  );

  it(
    "oopses on the published pair's kmalloc'd client_sock: in sock_recvmsg (no ops) or, when the client's data wins the race, in __wake_up_common",
    async () => {
      const lab = await realKernelLab("published");
      lab.send({ type: "module.load", module: "server" });
      await waitInVm(lab, (e) => e.type === "printk" && e.text === "server:listen ok!", BOOT_MS);
      lab.send({ type: "module.load", module: "client" });
      // The panic that follows ends the VM: the oops is gathered by then.
      const oops = await lab.waitFor((e) => e.type === "oops", STEP_MS);
      if (oops.type !== "oops") throw new Error("unreachable");
      expect(oops.text).toMatch(/^BUG: kernel NULL pointer dereference/);
      const listing = (module: "server" | "client") =>
        readFileSync(`shared/listings/published/${module}.c`, "utf8");
      const rip = oops.frames.find((f) => f.rip)?.name;
      // accept() grafted the connection onto a kmalloc'd struct socket that nothing set up: its ops
      // and its wait queue are zeros (the kernel zeroes allocations). Which use comes first is the
      // scheduler's call, and it differs on a loaded machine.
      if (rip === "sock_recvmsg") {
        // The server ran on after accept and called through client_sock->ops: NULL every time, as
        // the kernel zeroes every kmalloc (CONFIG_INIT_ON_ALLOC_DEFAULT_ON=y), so the fault address
        // is offsetof(struct proto_ops, recvmsg).
        expect(oops.text).toMatch(/^BUG: kernel NULL pointer dereference, address: 0000000000000090/);
        expect(oops.frames).toContainEqual(
          expect.objectContaining({
            name: "myserver",
            module: "server",
            listingModule: "server",
            cLine: functionLine(listing("server"), "myserver"),
            // The module's DWARF puts the return address on the call that faulted.
            call: "kernel_recvmsg",
          }),
        );
        // Printed just before the fault, and not lost with the panic: the console printed it at once.
        const accepted = lab.events.findIndex(
          (e) => e.type === "printk" && e.text.startsWith("server: accept ok"),
        );
        expect(accepted).toBeGreaterThan(-1);
        expect(accepted).toBeLessThan(lab.events.indexOf(oops));
      } else {
        // The client's send delivered the data first, and the softirq woke the socket's garbage wait queue.
        expect(rip).toBe("__wake_up_common");
        expect(oops.frames).toContainEqual(
          expect.objectContaining({
            name: "myclient",
            module: "client",
            listingModule: "client",
            cLine: functionLine(listing("client"), "myclient"),
          }),
        );
      }
      expectOrderlyLog(lab);
    },
    TEST_MS,
  );
});
