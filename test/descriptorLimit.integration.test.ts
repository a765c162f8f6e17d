import { afterEach, describe, expect, it } from "vitest";
import { type AppProcess, spawnAppWith } from "./helpers/appProcess.ts";
import { LabClient, LabRefused } from "./helpers/labClient.ts";

/**
 * A classroom against a process whose descriptor limit is real and small (prlimit), so the budget
 * of server/lab/socketBudget.ts meets the kernel's RLIMIT_NOFILE itself rather than a number the
 * test passes in: 400 descriptors, 100 of them the connection cap (a quarter), 256 the reserve,
 * 44 for the labs — 7 labs of 6. P3 meets the same budget at 2,000 sessions under 20,000.
 */
const NOFILE = 400;

let running: AppProcess | undefined;
const labs: LabClient[] = [];

afterEach(async () => {
  for (const lab of labs.splice(0)) lab.ws.terminate();
  if (running && running.child.exitCode === null) running.child.kill("SIGKILL");
  running = undefined;
});

/** A lab opened: the lab, or how it was refused. */
async function tryOpen(url: string): Promise<LabClient | LabRefused> {
  try {
    const lab = await LabClient.open(url);
    labs.push(lab);
    return lab;
  } catch (err) {
    if (err instanceof LabRefused) return err;
    throw err;
  }
}

/**
 * Published lessons in one lab until it has run `most` or its socket share stops one: each leaks
 * the client's socket, as client.c does. Answers the lessons run and how the last one ended.
 */
async function lessonsUntilRefused(lab: LabClient, most: number): Promise<{ ran: number; refusal?: string }> {
  for (let ran = 0; ran < most; ran++) {
    const mark = lab.events.length;
    const since = () => lab.events.slice(mark);
    const failed = () =>
      since().find((e) => e.type === "module.state" && e.state === "failed") ??
      since().find((e) => e.type === "error");
    lab.send({ type: "module.load", module: "server" });
    await lab.waitFor(
      () =>
        Boolean(failed()) ||
        since().some((e) => e.type === "step" && e.step === "accept" && e.phase === "enter"),
      15_000,
    );
    if (!failed()) {
      lab.send({ type: "module.load", module: "client" });
      await lab.waitFor(
        () =>
          Boolean(failed()) ||
          since().some((e) => e.type === "module.state" && e.module === "server" && e.state === "live"),
        15_000,
      );
    }
    // Refused: the server is left blocked in accept, as the kernel would leave it; the loop ends.
    const refusal = since().find((e) => e.type === "error");
    if (refusal?.type === "error") return { ran, refusal: refusal.code };
    lab.send({ type: "module.unload", module: "server" });
    lab.send({ type: "module.unload", module: "client" });
    await lab.waitFor(
      () => since().filter((e) => e.type === "module.state" && e.state === "unloaded").length >= 2,
      15_000,
    );
  }
  return { ran: most };
}

describe("a classroom within the process's descriptor limit", () => {
  it("refuses a lab with a reason once the labs' budget is shared out and stops a lab at its share with -ENFILE, never EMFILE anywhere, /healthz answering throughout", async () => {
    running = await spawnAppWith(
      "prlimit",
      [`--nofile=${NOFILE}:${NOFILE}`, process.execPath, "--import", "tsx", "server/main.ts"],
      {
        MAX_SESSIONS_PER_ADDRESS: "1000",
        MAX_SESSIONS_PER_LEARNER: "1000",
        MAX_CONNECTIONS_PER_ADDRESS: "1000",
      },
      { timeoutMs: 60_000 },
    );
    const app = running;
    const seated: LabClient[] = [];
    let refused: LabRefused | undefined;
    while (!refused && seated.length < 100) {
      const opened = await tryOpen(app.url);
      if (opened instanceof LabClient) seated.push(opened);
      else refused = opened;
    }
    // 44 lab sockets, 6 a lab: the 8th is refused, by the budget and not by a session cap.
    expect(seated).toHaveLength(7);
    expect(refused?.code).toBe(1013);
    expect(await (await fetch(`${app.url}/readyz`)).json()).toEqual({
      ready: false,
      reason: "no socket share free",
    });
    expect(refused?.events).toEqual([
      {
        type: "error",
        code: "full",
        message: expect.stringMatching(/its labs hold the 44 sockets its file descriptors allow/),
      },
    ]);

    // Every seated learner loops the published lesson at once: each lab runs until its share (6)
    // stops it — listener, accepted, client and the leaked clients of the lessons before.
    const outcomes = await Promise.all(seated.map((lab) => lessonsUntilRefused(lab, 8)));
    for (const outcome of outcomes) {
      expect(outcome.ran).toBeGreaterThanOrEqual(3);
      expect(outcome.refusal).toBe("socket-limit");
    }
    expect((await fetch(`${app.url}/healthz`)).status).toBe(200);
    expect(app.fds()).toBeLessThan(NOFILE / 2);
    expect(app.output()).not.toMatch(/EMFILE|ENFILE: too many/);

    // A lab that ends gives its share back: a new learner is seated again.
    await seated[0]!.close();
    await expect
      .poll(async () => (await tryOpen(app.url)) instanceof LabClient, { timeout: 10_000 })
      .toBe(true);
  }, 120_000);
});
