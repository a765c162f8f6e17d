import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { ServerEvent } from "../shared/protocol/messages.ts";
import { C_CALL_MARKERS, type ModuleName, type StepId, type Variant } from "../shared/protocol/steps.ts";
import type { LabClient } from "./helpers/labClient.ts";
import { BOOT_MS, realKernelApp, STEP_MS, TEST_MS } from "./helpers/realKernelLab.ts";
import { realKernelForTests } from "./helpers/realKernelRequirement.ts";

const availability = realKernelForTests();
const labs = realKernelApp();

function cLineOf(variant: Variant, module: ModuleName, step: StepId): number {
  const marker = C_CALL_MARKERS[variant][module][step] as string;
  const lines = readFileSync(`shared/listings/${variant}/${module}.c`, "utf8").split("\n");
  return lines.findIndex((line) => line.includes(marker)) + 1;
}

/** Waits for `match`, but fails at once, with the log, if the VM stops first. */
async function waitInVm(lab: LabClient, match: (e: ServerEvent) => boolean, timeoutMs = STEP_MS) {
  const from = lab.events.length;
  const found = await lab.waitFor(
    (e) => match(e) || (lab.events.indexOf(e) >= from && e.type === "engine" && e.status === "stopped"),
    timeoutMs,
  );
  if (!match(found))
    throw new Error(
      `the VM stopped first (${JSON.stringify(found)}):\n${lab.printk().slice(-30).join("\n")}`,
    );
  return found;
}

/** Each returned call of `module`, in order: its step, line and result. */
function returned(lab: LabClient, module: ModuleName) {
  return lab
    .of("step")
    .filter((e) => e.module === module && e.phase === "exit")
    .map((e) => ({ step: e.step, cLine: e.cLine, result: e.result }));
}

describe.skipIf(!availability.ok)("every real-kernel run traced (no step mode)", () => {
  it(
    "lights each call of the fixed pair in order with its real result, exit functions' calls too, and never holds the VM",
    async () => {
      const lab = await labs.open("fixed");
      lab.send({ type: "module.load", module: "server" });
      await waitInVm(
        lab,
        (e) => e.type === "module.state" && e.module === "server" && e.state === "live",
        BOOT_MS,
      );
      lab.send({ type: "module.load", module: "client" });
      await waitInVm(lab, (e) => e.type === "module.state" && e.module === "client" && e.state === "live");
      await waitInVm(
        lab,
        (e) =>
          e.type === "step" && e.module === "server" && e.step === "kernel_recvmsg" && e.phase === "exit",
      );
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

      const at = (module: ModuleName, step: StepId) => cLineOf("fixed", module, step);
      expect(returned(lab, "client")).toEqual([
        { step: "sock_create_kern", cLine: at("client", "sock_create_kern"), result: 0 },
        { step: "connect", cLine: at("client", "connect"), result: 0 },
        { step: "kernel_sendmsg", cLine: at("client", "kernel_sendmsg"), result: 1024 },
        { step: "sock_release", cLine: at("client", "sock_release"), result: null },
      ]);
      const server = returned(lab, "server");
      expect(server.slice(0, 4).map((s) => s.step)).toEqual([
        "sock_create_kern",
        "bind",
        "listen",
        "kthread_run",
      ]);
      expect(server.slice(0, 4).map((s) => s.result)).toEqual([0, 0, 0, 0]);
      expect(server.find((s) => s.step === "kernel_recvmsg")).toEqual({
        step: "kernel_recvmsg",
        cLine: at("server", "kernel_recvmsg"),
        result: 1024,
      });
      // The call view's frame, read from guest memory at the breakpoint (the registers by the SysV
      // ABI, the structs by the build's layout) and again at the return.
      const frameOf = (step: StepId, phase: "enter" | "exit") => {
        const event = lab
          .of("step")
          .find((e) => e.module === "server" && e.step === step && e.phase === phase);
        return Object.fromEntries((event?.call?.args ?? []).map((a) => [a.name, a]));
      };
      const recvEvent = lab.of("step").find((e) => e.step === "kernel_recvmsg" && e.phase === "enter");
      expect(recvEvent?.call).toMatchObject({
        source: "guest-memory",
        function: "kernel_recvmsg",
        returns: "int",
      });
      const recv = frameOf("kernel_recvmsg", "enter");
      expect(Object.keys(recv)).toEqual(["sock", "msg", "vec", "num", "len", "flags"]);
      expect(recv.len?.value).toBe("1024");
      expect(recv.num?.value).toBe("1");
      expect(recv.flags?.value).toBe("0");
      expect(recv.sock?.fields).toEqual(
        expect.arrayContaining([
          { name: "state", value: "SS_CONNECTED" },
          { name: "type", value: "SOCK_STREAM" },
          { name: "ops", value: "&inet_stream_ops" },
        ]),
      );
      expect(recv.vec?.fields).toContainEqual({ name: "iov_len", value: "1024" });
      expect(recv.vec?.fields?.find((f) => f.name === "iov_base")?.value).toMatch(/^0xffff[0-9a-f]+$/);
      // memset(&msg, 0, …) before the call: nothing in it yet.
      expect(recv.msg?.fields).toContainEqual({ name: "msg_flags", value: "0" });
      const bindAddress = frameOf("bind", "enter").addr?.fields;
      expect(bindAddress).toEqual([
        { name: "sin_family", value: "AF_INET" },
        { name: "sin_port", value: "htons(34952) = 0x8888" },
        { name: "sin_addr", value: "127.0.0.1" },
      ]);
      // sock_create_kern's *res is read after the call: the socket it made.
      expect(frameOf("sock_create_kern", "exit").res?.fields?.[0]?.value).toMatch(/^0xffff[0-9a-f]+$/);

      // The exit function's calls (rmmod) light too.
      expect(server.map((s) => s.step)).toEqual(
        expect.arrayContaining(["kernel_sock_shutdown", "sock_release_listener"]),
      );
      expect(lab.of("step.waiting")).toEqual([]);
      // Traced by the call-tracer plugin: the engine says so when it has to fall back to the gdbstub.
      expect(lab.console().filter((line) => line.includes("[call tracer:"))).toEqual([]);
      // Every call that entered returned: none is left lit as running.
      const open = () => {
        const calls = lab.of("step").map((e) => `${e.module} ${e.step} ${e.phase}`);
        const count = (c: string) => calls.filter((d) => d === c).length;
        return calls.filter((c) => c.endsWith(" enter") && count(c) !== count(c.replace(/ enter$/, " exit")));
      };
      await expect.poll(open, { timeout: 10_000 }).toEqual([]);

      // The Socket states tab's rows are the guest's own /proc/net/tcp: its lab port, 0x8888, whatever
      // port the host's lab uses. The listener while the server was live; the accepted connection,
      // closed first by the server, left in TIME_WAIT with its timer's seconds.
      const guestRows = () => lab.of("tcp.state").flatMap((e) => e.rows);
      expect(
        guestRows().some((r) => r.state === "LISTEN" && r.local.port === 0x8888),
        JSON.stringify(lab.of("tcp.state")),
      ).toBe(true);
      await expect
        .poll(
          () => guestRows().find((r) => r.state === "TIME_WAIT" && r.local.port === 0x8888)?.timeWaitSeconds,
          {
            timeout: 10_000,
          },
        )
        .toBeGreaterThan(0);

      // So the published server, which sets no SO_REUSEADDR, gets -98 from bind in the same VM.
      lab.send({ type: "variant.select", variant: "published" });
      lab.send({ type: "module.load", module: "server" });
      const bind = await waitInVm(
        lab,
        (e) =>
          e.type === "step" &&
          e.module === "server" &&
          e.step === "bind" &&
          e.phase === "exit" &&
          e.variant === "published",
      );
      expect(bind).toMatchObject({ result: -98, errno: "EADDRINUSE" });
    },
    TEST_MS,
  );

  it(
    "step mode turned on while the call tracer traces a blocked accept holds the VM at the client's first call; turned off, the rest is traced to the end, each call told once",
    async () => {
      const lab = await labs.open("fixed");
      lab.send({ type: "module.load", module: "server" });
      // Traced without step mode: no stop at the call sites, the plugin tells each call.
      await waitInVm(
        lab,
        (e) => e.type === "step" && e.module === "server" && e.step === "accept" && e.phase === "enter",
        BOOT_MS,
      );
      lab.send({ type: "stepMode.set", enabled: true });
      await lab.waitFor((e) => e.type === "settings" && e.stepMode);
      let from = lab.events.length;
      lab.send({ type: "module.load", module: "client" });
      const held = await waitInVm(
        lab,
        (e) => lab.events.indexOf(e) >= from && e.type === "step.waiting" && e.module === "client",
      );
      expect(held).toMatchObject({ step: "sock_create_kern", vmPaused: true });
      from = lab.events.length;
      lab.send({ type: "stepMode.set", enabled: false });
      await waitInVm(
        lab,
        (e) =>
          e.type === "step" && e.module === "server" && e.step === "kernel_recvmsg" && e.phase === "exit",
      );
      expect(returned(lab, "client")).toEqual([
        { step: "sock_create_kern", cLine: cLineOf("fixed", "client", "sock_create_kern"), result: 0 },
        { step: "connect", cLine: cLineOf("fixed", "client", "connect"), result: 0 },
        { step: "kernel_sendmsg", cLine: cLineOf("fixed", "client", "kernel_sendmsg"), result: 1024 },
      ]);
      // Told once each: by the breakpoint that held it, or by the plugin, never both.
      const told = lab.of("step").map((e) => `${e.module} ${e.step} ${e.phase}`);
      for (const call of [
        "client sock_create_kern enter",
        "client connect enter",
        "server kernel_recvmsg enter",
      ])
        expect(
          told.filter((t) => t === call),
          call,
        ).toHaveLength(1);
      const recv = lab.of("step").find((e) => e.step === "kernel_recvmsg" && e.phase === "exit");
      expect(Buffer.from(recv?.data?.base64 ?? "", "base64")).toEqual(Buffer.alloc(1024, 1));
      // No pause after step mode went off.
      expect(lab.events.slice(from).filter((e) => e.type === "step.waiting")).toEqual([]);
    },
    TEST_MS,
  );

  it(
    "lights the published client's refused connect with -111 and its errno name; its failing init ran once, as kmod's insmod runs it",
    async () => {
      const lab = await labs.open("published");
      lab.send({ type: "module.load", module: "client" });
      const connect = await waitInVm(
        lab,
        (e) => e.type === "step" && e.module === "client" && e.step === "connect" && e.phase === "exit",
        BOOT_MS,
      );
      expect(connect).toMatchObject({
        cLine: cLineOf("published", "client", "connect"),
        result: -111,
        errno: "ECONNREFUSED",
      });
      await waitInVm(lab, (e) => e.type === "module.state" && e.module === "client" && e.state === "failed");
      // kmod's one finit_module(): the failing init ran once (BusyBox's insmod ran it again through init_module).
      expect(lab.printk().filter((t) => t === "client:init")).toHaveLength(1);
      expect(lab.of("step").filter((e) => e.step === "sock_create_kern" && e.phase === "exit")).toHaveLength(
        1,
      );
      expect(lab.console()).toContain("insmod: ERROR: could not insert module client.ko: Connection refused");
      expect(lab.of("module.state").at(-1)).toMatchObject({ state: "failed", initResult: -111 });
    },
    TEST_MS,
  );
});
