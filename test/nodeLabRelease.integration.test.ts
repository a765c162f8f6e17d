import { describe, expect, it } from "vitest";
import { labAppPerTest } from "./helpers/labApp.ts";

const lab$ = labAppPerTest();

describe("the Node lab speaks the picked release's kernel", () => {
  it("on 7.3 prints 7.1's one-line init warning and cuts the receive record at 7.3's 1024 bytes, not 6.1's", async () => {
    const lab = await lab$.open();
    lab.send({ type: "kernel.release", release: "7.3", edits: true });
    lab.send({ type: "module.load", module: "server" });
    await lab.waitForStep("server", "accept", "enter");
    lab.send({ type: "module.load", module: "client" });
    await lab.waitForState("server", "live");
    await lab.waitForState("client", "live");
    const log = lab.printk();
    // From v7.1-rc1, do_init_module(): pr_warn("%s: init suspiciously returned %d, …", mod->name, ret).
    expect(log).toContain("client: init suspiciously returned 1024, it should follow 0/-E convention\n");
    expect(log.join("")).not.toContain("loading module anyway");
    // PRINTKRB_RECORD_MAX - 1 = 1023 bytes: 18 of text, then 1005 of the 1024 received (6.1: 973).
    expect(log.find((t) => t.startsWith("receive message:"))).toHaveLength(18 + 2 * 1005);
  });
});
