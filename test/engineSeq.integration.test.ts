import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningApp, startApp } from "../server/app.ts";
import type { ServerEvent } from "../shared/protocol/messages.ts";
import { LabClient } from "./helpers/labClient.ts";

let app: RunningApp;
let lab: LabClient | undefined;

beforeAll(async () => {
  app = await startApp({ port: 0, labPort: 0 });
});

afterAll(async () => {
  await lab?.close();
  await app?.close();
});

function seqs(events: readonly ServerEvent[]): number[] {
  return events.flatMap((e) => ("seq" in e ? [e.seq] : []));
}

// Runs whether or not the real-kernel engine is installed here: either way its first event (the
// shell's "$ insmod client.ko") is sent at once, before any build or boot.
describe("one session, two engines", () => {
  it("numbers every event of the session once and in order, across Node lab → Real kernel → Node lab", async () => {
    lab = await LabClient.open(app.url);
    lab.send({ type: "module.load", module: "server" });
    await lab.waitForStep("server", "accept", "enter");

    lab.send({ type: "engine.select", engine: "real-kernel" });
    await lab.waitFor((e) => e.type === "engine" && e.engine === "real-kernel");
    const before = lab.events.length;
    lab.send({ type: "module.load", module: "client" });
    await lab.waitFor(
      (e) => e.type === "console" && e.text === "$ insmod client.ko" && lab!.events.indexOf(e) >= before,
    );

    // The switch ended the Node lab's run: its server is shown unloaded, on the Node lab's clock.
    const ended = lab.events.find((e) => e.type === "console" && e.text.startsWith("[Node lab run ended"));
    expect(ended).toMatchObject({ engine: "node" });
    expect(
      lab.events.some(
        (e) =>
          e.type === "module.state" &&
          e.module === "server" &&
          e.state === "unloaded" &&
          e.engine === "node" &&
          lab!.events.indexOf(e) > lab!.events.indexOf(ended!),
      ),
    ).toBe(true);

    lab.send({ type: "engine.select", engine: "node" });
    await lab.waitFor((e) => e.type === "engine" && e.engine === "node");
    const back = lab.events.length;
    lab.send({ type: "module.load", module: "client" });
    // A fresh Node lab: no server, so the client is refused.
    await lab.waitFor(
      (e) =>
        e.type === "module.state" &&
        e.module === "client" &&
        e.state === "failed" &&
        e.engine === "node" &&
        lab!.events.indexOf(e) >= back,
    );

    const numbered = seqs(lab.events);
    expect(numbered.length).toBeGreaterThan(10);
    expect(new Set(numbered).size).toBe(numbered.length);
    expect(numbered).toEqual([...numbered].sort((a, b) => a - b));
  }, 60_000);
});
