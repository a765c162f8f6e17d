import { afterEach, describe, expect, it } from "vitest";
import { type AppProcess, spawnApp } from "./helpers/appProcess.ts";
import { LabClient } from "./helpers/labClient.ts";

let running: AppProcess | undefined;

afterEach(() => {
  if (running && running.child.exitCode === null) running.child.kill("SIGKILL");
  running = undefined;
});

function closeOf(lab: LabClient): Promise<{ code: number; reason: string }> {
  return new Promise((resolve) =>
    lab.ws.once("close", (code, reason) => resolve({ code, reason: String(reason) })),
  );
}

/** A supervisor (systemd, docker stop) waits this long after SIGTERM before it kills. */
const SUPERVISOR_GRACE_MS = 5000;

describe("stopping the server", () => {
  it("on SIGTERM tells every live session, closes every socket and exits 0 within 5 s", async () => {
    running = await spawnApp();
    const { url, child, exited } = running;
    const blocked = await LabClient.open(url);
    blocked.send({ type: "module.load", module: "server" });
    await blocked.waitForStep("server", "accept", "enter");
    const ran = await LabClient.open(url);
    ran.send({ type: "module.load", module: "server" });
    await ran.waitForStep("server", "accept", "enter");
    ran.send({ type: "module.load", module: "client" });
    await ran.waitForState("client", "live");
    const stepping = await LabClient.open(url);
    stepping.send({ type: "stepMode.set", enabled: true });
    stepping.send({ type: "module.load", module: "client" });
    await stepping.waitFor((e) => e.type === "step.waiting");
    const labs = [blocked, ran, stepping];
    const closes = labs.map(closeOf);

    child.kill("SIGTERM");
    const code = await Promise.race([
      exited,
      new Promise<string>((resolve) =>
        setTimeout(() => resolve("still running"), SUPERVISOR_GRACE_MS).unref(),
      ),
    ]);

    expect(code).toBe(0);
    expect(await Promise.all(closes)).toEqual(
      labs.map(() => ({ code: 1001, reason: "server shutting down" })),
    );
    for (const lab of labs) {
      expect(lab.of("error").at(-1)).toMatchObject({
        code: "shutdown",
        message: expect.stringContaining("shutting down"),
      });
    }
    expect(running.output()).toContain("Kernel Socket Lab stopped (SIGTERM); sockets still open: 0");
  });

  it("refuses to start on a setting that is not a number, naming it", async () => {
    await expect(spawnApp({ MAX_SESSIONS: "plenty" })).rejects.toThrow(/exited with 1.*MAX_SESSIONS=plenty/s);
  });
});
