import { describe, expect, it } from "vitest";
import type { ServerEvent, ServerEventOf } from "../shared/protocol/messages.ts";
import { labAppPerTest } from "./helpers/labApp.ts";

const harness = labAppPerTest({ port: 0, labPort: 0, labSocketLimit: 4 });

const isEnfile = (e: ServerEvent): e is ServerEventOf<"step"> =>
  e.type === "step" && e.step === "sock_create_kern" && e.phase === "exit" && e.result === -23;

describe("a cap on the sockets one lab's modules may leave open", () => {
  it("fails the next sock_create_kern with -ENFILE on its line once the published client has leaked up to the cap, with the kernel's warning and the reason", async () => {
    const lab = await harness.open();
    let runs = 0;
    const enfile = () => lab.events.find(isEnfile);
    while (!enfile() && runs < 10) {
      runs++;
      const from = lab.events.length;
      const since = (match: (e: ServerEvent) => boolean) =>
        lab.waitFor((e) => lab.events.indexOf(e) >= from && match(e));
      lab.send({ type: "module.load", module: "server" });
      await since(
        (e) =>
          (e.type === "module.state" && e.module === "server" && e.state === "failed") ||
          (e.type === "step" && e.step === "accept" && e.phase === "enter"),
      );
      if (enfile()) break;
      lab.send({ type: "module.load", module: "client" });
      await since((e) => e.type === "module.state" && e.module === "client" && e.state !== "loading");
      if (enfile()) break;
      await since((e) => e.type === "module.state" && e.module === "server" && e.state !== "loading");
      lab.send({ type: "module.unload", module: "client" });
      lab.send({ type: "module.unload", module: "server" });
      await since((e) => e.type === "console" && e.text === "$ rmmod server");
    }
    // Each run leaks the client's socket, and the server's end of it stays open until the session ends.
    expect(runs).toBeLessThanOrEqual(4);
    const failed = enfile()!;
    expect(failed).toMatchObject({ errno: "ENFILE" });
    const enter = lab.events.findLast(
      (e) => e.type === "step" && e.step === "sock_create_kern" && e.phase === "enter" && e.seq < failed.seq,
    );
    expect(enter).toMatchObject({ module: failed.module, cLine: failed.cLine, tsLine: failed.tsLine });
    expect(
      lab.of("printk").some((p) => p.source === "kernel" && p.text === "socket: no more sockets\n"),
    ).toBe(true);
    expect(lab.of("error").at(-1)).toMatchObject({
      code: "socket-limit",
      message: expect.stringMatching(/4 open sockets.*-ENFILE.*Reset the lab/s),
    });
    await lab.waitFor((e) => e.type === "module.state" && e.module === failed.module && e.state === "failed");
    expect(lab.console()).toContain(
      `insmod: ERROR: could not insert module ${failed.module}.ko: Too many open files in system`,
    );
  });
});
