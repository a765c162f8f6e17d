import { describe, expect, it } from "vitest";
import { realKernelForTests } from "./helpers/realKernelRequirement.ts";
import { buildPair, sourcesFor } from "../server/realKernel/build.ts";
import { buildInitramfs } from "../server/realKernel/guestInit.ts";
import type { GuestLine } from "../server/realKernel/guestOutput.ts";
import { type GuestCommand, Vm } from "../server/realKernel/vm.ts";
import type { ModuleName, Variant } from "../shared/protocol/steps.ts";

const availability = realKernelForTests();
const TEST_MS = 600_000;

/** Polls (no fixed sleep) until `done`, failing with `why()` at the deadline or when the VM stops. */
async function until(done: () => boolean, vm: Vm, why: () => string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (!vm.running) throw new Error(`the VM stopped: ${why()}`);
    if (Date.now() > deadline) throw new Error(`timed out: ${why()}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe.skipIf(!availability.ok)("the guest's command port, under load", () => {
  it(
    "answers every one of 200 commands, the first sent while the kernel boots, between floods of 900-byte records",
    async () => {
      if (!availability.ok) return;
      const { tools } = availability;
      const modules: Partial<Record<Variant, Record<ModuleName, string>>> = {};
      for (const variant of ["published", "fixed"] as const) {
        const built = await buildPair(sourcesFor(variant), tools.release, tools.buildDir);
        if (!built.ok) throw new Error(built.output);
        modules[variant] = built.modules;
      }
      const initramfs = await buildInitramfs(
        tools.busybox,
        modules as Record<Variant, Record<ModuleName, string>>,
      );
      const results = new Map<number, number>();
      let floodRecords = 0;
      const vm = new Vm({
        tools,
        initramfs,
        timeoutMs: TEST_MS,
        onLine: (line: GuestLine) => {
          if (line.kind === "result") results.set(line.id, line.rc);
          if (line.kind === "kmsg" && line.text.startsWith("flood ")) floodRecords++;
        },
        onExit: () => {},
      });
      try {
        const ids: number[] = [];
        let floods = 0;
        const send = (command: GuestCommand) => ids.push(vm.command(command));
        // The first 20 go out at once, while QEMU is still starting: they wait on the host, not in a UART.
        for (let i = 0; i < 20; i++) send(i % 10 === 0 ? ["flood", 40, 900] : ["sync", "-", "-"]);
        floods += 2;
        await vm.ready;
        for (let i = 20; i < 200; i++) {
          if (i % 10 === 0) {
            send(["flood", 40, 900]);
            floods++;
          } else send(["sync", "-", "-"]);
          // Every few commands, let the floods run, so commands arrive while the console is busy printing.
          if (i % 5 === 0) await new Promise((r) => setImmediate(r));
        }
        const missing = () => ids.filter((id) => !results.has(id));
        await until(
          () => missing().length === 0 && floodRecords === floods * 40,
          vm,
          () =>
            `${missing().length} of 200 unanswered (${missing().slice(0, 10).join(", ")}…), ${floodRecords} flood records`,
          TEST_MS - 60_000,
        );
        expect(ids).toHaveLength(200);
        expect(new Set(ids).size).toBe(200);
        expect(ids.map((id) => results.get(id))).toEqual(ids.map(() => 0));
        expect(vm.commandsPending).toBe(0);
      } finally {
        vm.kill();
      }
    },
    TEST_MS,
  );
});
