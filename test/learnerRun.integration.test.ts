import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { ServerEvent } from "../shared/protocol/messages.ts";
import { realKernelForTests } from "./helpers/realKernelRequirement.ts";
import type { LabClient } from "./helpers/labClient.ts";
import { BOOT_MS, realKernelApp, STEP_MS, TEST_MS } from "./helpers/realKernelLab.ts";

const availability = realKernelForTests();
const labs = realKernelApp();

const fixed = (module: "server" | "client") => readFileSync(`shared/listings/fixed/${module}.c`, "utf8");

async function waitInVm(lab: LabClient, match: (e: ServerEvent) => boolean, timeoutMs = STEP_MS) {
  const from = lab.events.length;
  const stopped = (e: ServerEvent) => e.type === "engine" && e.status === "stopped";
  const found = await lab.waitFor(
    (e) => match(e) || (lab.events.indexOf(e) >= from && stopped(e)),
    timeoutMs,
  );
  if (!match(found)) {
    const log = lab.events.filter((e) => e.type !== "printk").map((e) => JSON.stringify(e).slice(0, 300));
    throw new Error(
      `the VM stopped first:\n${lab.printk().slice(-30).join("\n")}\n${log.slice(-25).join("\n")}`,
    );
  }
  return found;
}

describe.skipIf(!availability.ok)("the learner's own build in the real kernel", () => {
  it(
    "runs the learner's edited server: its own printk comes back from the guest on its own line, and its calls are traced on its lines",
    async () => {
      const lab = await labs.open("fixed");
      // Two lines added at the top move every line of the listing: the lines must be the build's.
      const server = `/* mine */\n/* edited */\n${fixed("server").replace("server:bind ok!", "server:bound by my edit!")}`;
      const editedLine = server.split("\n").findIndex((l) => l.includes("bound by my edit")) + 1;
      const bindLine = server.split("\n").findIndex((l) => l.includes("kernel_bind(")) + 1;
      lab.send({
        type: "learner.build",
        buildId: 7,
        base: "fixed",
        sources: { server, client: fixed("client") },
      });
      const built = await lab.waitFor(
        (e) =>
          e.type === "learner.build" && e.buildId === 7 && (e.status === "built" || e.status === "failed"),
        BOOT_MS,
      );
      expect(built.type === "learner.build" && built.status, JSON.stringify(built)).toBe("built");
      lab.send({ type: "module.load", module: "server", build: 7 });
      const live = await waitInVm(
        lab,
        (e) => e.type === "module.state" && e.module === "server" && e.state === "live",
        BOOT_MS,
      );
      expect(live.type === "module.state" && live.learnerBuild).toBe(7);
      const printk = await waitInVm(lab, (e) => e.type === "printk" && e.text.includes("bound by my edit"));
      expect(printk.type === "printk" && [printk.source, printk.cLine]).toEqual(["server", editedLine]);
      const bind = lab.of("step").find((e) => e.module === "server" && e.step === "bind");
      expect(bind?.cLine).toBe(bindLine);
      // A build that is not the latest is refused with why, and the session stays.
      lab.send({ type: "module.load", module: "client", build: 6 });
      await lab.waitFor((e) => e.type === "error" && e.code === "refused" && /latest/.test(e.message));
    },
    TEST_MS,
  );
});
