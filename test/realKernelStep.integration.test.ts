import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { realKernelForTests } from "./helpers/realKernelRequirement.ts";
import type { ServerEvent, ServerEventOf } from "../shared/protocol/messages.ts";
import { C_CALL_MARKERS, type ModuleName, type StepId, type Variant } from "../shared/protocol/steps.ts";
import type { LabClient } from "./helpers/labClient.ts";
import { BOOT_MS, realKernelApp, STEP_MS, TEST_MS } from "./helpers/realKernelLab.ts";
import { ourQemus } from "./helpers/ourQemus.ts";

const availability = realKernelForTests();

const labs = realKernelApp();

function cLineOf(variant: Variant, module: ModuleName, step: StepId): number {
  const marker = C_CALL_MARKERS[variant][module][step] as string;
  const lines = readFileSync(`shared/listings/${variant}/${module}.c`, "utf8").split("\n");
  return lines.findIndex((line) => line.includes(marker)) + 1;
}

const steppingLab = (variant: Variant) => labs.open(variant, { stepMode: true });

/** Waits for the VM to pause before `module`'s next call; fails at once if the VM stops first. */
async function pausedAt(lab: LabClient, module: ModuleName, from: number, timeoutMs = STEP_MS) {
  const found = await lab.waitFor(
    (e) =>
      lab.events.indexOf(e) >= from &&
      ((e.type === "step.waiting" && e.module === module) || (e.type === "engine" && e.status === "stopped")),
    timeoutMs,
  );
  if (found.type !== "step.waiting")
    throw new Error(`the VM stopped first:\n${lab.printk().slice(-20).join("\n")}`);
  return found;
}

describe.skipIf(!availability.ok)("step mode on the real kernel (QEMU's gdbstub)", () => {
  it(
    "pauses the VM before each of the fixed server's calls with its C line, and gives the real results",
    async () => {
      const lab = await steppingLab("fixed");
      lab.send({ type: "module.load", module: "server" });
      const walked: ServerEventOf<"step.waiting">[] = [];
      let from = 0;
      for (const step of ["sock_create_kern", "bind", "listen", "kthread_run", "accept"] as const) {
        const paused = await pausedAt(lab, "server", from, walked.length === 0 ? BOOT_MS : STEP_MS);
        expect(paused).toMatchObject({ step, vmPaused: true, cLine: cLineOf("fixed", "server", step) });
        walked.push(paused);
        from = lab.events.length;
        lab.send({ type: "step.next", module: "server" });
      }
      // The listener the server binds is the socket the kernel shows, with its ops table by name.
      expect(walked[1]?.socket).toMatchObject({
        name: "sock",
        ops: "inet_stream_ops",
        type: "SOCK_STREAM",
        sk: true,
      });
      // The guest's clock is the kernel's own and moves only while the guest runs.
      const times = walked.map((w) => w.t);
      expect(times).toEqual([...times].sort((a, b) => a - b));

      // The client runs its steps while the server's thread waits in accept.
      from = lab.events.length;
      lab.send({ type: "module.load", module: "client" });
      const first = await pausedAt(lab, "client", from);
      expect(first.step).toBe("sock_create_kern");
      lab.send({ type: "step.continue", module: "client" });
      const recv = await pausedAt(lab, "server", from);
      expect(recv.step).toBe("kernel_recvmsg");
      // The call view's frame, read from guest memory at this breakpoint: rdi…r9 by the SysV ABI,
      // the socket, msghdr and kvec by the layout this build's compiler gave.
      expect(recv.call).toMatchObject({ source: "guest-memory", function: "kernel_recvmsg", release: "6.1" });
      const args = Object.fromEntries((recv.call?.args ?? []).map((a) => [a.name, a]));
      expect(Object.keys(args)).toEqual(["sock", "msg", "vec", "num", "len", "flags"]);
      expect([args.num?.value, args.len?.value, args.flags?.value]).toEqual(["1", "1024", "0"]);
      expect(args.sock?.fields).toEqual(
        expect.arrayContaining([
          { name: "state", value: "SS_CONNECTED" },
          { name: "type", value: "SOCK_STREAM" },
          { name: "ops", value: "&inet_stream_ops" },
        ]),
      );
      expect(args.vec?.fields).toContainEqual({ name: "iov_len", value: "1024" });
      expect(args.vec?.fields?.find((f) => f.name === "iov_base")?.value).toMatch(/^0xffff[0-9a-f]+$/);
      lab.send({ type: "step.next", module: "server" });
      const received = await lab.waitFor(
        (e) => e.type === "step" && e.step === "kernel_recvmsg" && e.phase === "exit",
        STEP_MS,
      );
      expect(received).toMatchObject({ result: 1024, data: { length: 1024, bufferSize: 1024 } });
      const sent = lab
        .of("step")
        .find((e) => e.module === "client" && e.step === "kernel_sendmsg" && e.phase === "exit");
      expect(sent?.result).toBe(1024);
      lab.send({ type: "step.continue", module: "server" });
    },
    TEST_MS,
  );

  it(
    "shows the published server's client_sock with ops NULL while paused at kernel_recvmsg, then Continue gives the oops",
    async () => {
      const lab = await steppingLab("published");
      lab.send({ type: "module.load", module: "server" });
      // Stepped, not continued, to accept: a server held in step mode pauses at kernel_recvmsg, and a
      // paused call shows its socket (a call traced without a pause carries only its line and result).
      let from = 0;
      for (const step of ["sock_create_kern", "bind", "listen", "accept"] as const) {
        const paused = await pausedAt(lab, "server", from, from === 0 ? BOOT_MS : STEP_MS);
        expect(paused.step).toBe(step);
        from = lab.events.length;
        lab.send({ type: "step.next", module: "server" });
      }
      from = lab.events.length;
      lab.send({ type: "module.load", module: "client" });
      await pausedAt(lab, "client", from);
      lab.send({ type: "step.continue", module: "client" });
      const recv = await pausedAt(lab, "server", from);
      expect(recv).toMatchObject({
        step: "kernel_recvmsg",
        cLine: cLineOf("published", "server", "kernel_recvmsg"),
        socket: { name: "client_sock", ops: null, sk: true },
      });
      // The call view shows the bug too: the socket kernel_recvmsg is handed has no ops.
      expect(recv.call?.args[0]?.fields).toContainEqual({ name: "ops", value: "NULL" });
      lab.send({ type: "step.continue", module: "server" });
      await lab.waitFor((e) => e.type === "oops", STEP_MS);
    },
    TEST_MS,
  );

  it(
    "leaves no QEMU process when the VM is powered off while paused",
    async () => {
      const lab = await steppingLab("fixed");
      lab.send({ type: "module.load", module: "server" });
      await pausedAt(lab, "server", 0, BOOT_MS);
      expect(ourQemus().length).toBe(1);
      lab.send({ type: "engine.restart" });
      await lab.waitFor((e: ServerEvent) => e.type === "engine" && e.status === "stopped", STEP_MS);
      await expect.poll(() => ourQemus(), { timeout: 10_000 }).toEqual([]);
    },
    TEST_MS,
  );
});
