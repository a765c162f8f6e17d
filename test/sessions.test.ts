import net from "node:net";
import { afterEach, describe, expect, it, vi } from "vitest";
import WebSocket from "ws";
import { labSocketUrl } from "./helpers/labSocketUrl.ts";
import type { ServerEvent } from "../shared/protocol/messages.ts";
import { type AppOptions, type RunningApp, startApp } from "../server/app.ts";
import { expectFdsBackTo, openFds } from "./helpers/fdCount.ts";
import { LabClient } from "./helpers/labClient.ts";

let app: RunningApp | undefined;
const clients: LabClient[] = [];

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  await app?.close();
  app = undefined;
});

async function start(options: AppOptions = {}): Promise<RunningApp> {
  app = await startApp({ port: 0, labPort: 0, ...options });
  return app;
}

async function open(url: string): Promise<LabClient> {
  const client = await LabClient.open(url);
  clients.push(client);
  return client;
}

function closeOf(ws: WebSocket): Promise<{ code: number; reason: string }> {
  return new Promise((resolve) =>
    ws.once("close", (code, reason) => resolve({ code, reason: String(reason) })),
  );
}

function seqs(events: readonly ServerEvent[]): number[] {
  return events.flatMap((e) => ("seq" in e ? [e.seq] : []));
}

async function freePort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen({ host: "127.0.0.1", port: 0 }, resolve));
  const { port } = probe.address() as net.AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

describe("many learners on one instance", () => {
  it("gives the first session the preferred port and every other one a port of its own", async () => {
    const preferred = await freePort();
    const { url } = await start({ labPort: preferred });
    const labs = await Promise.all(Array.from({ length: 8 }, () => open(url)));
    const ports = labs.map((lab) => lab.of("hello")[0]!.labPort);
    expect(ports.filter((p) => p === preferred)).toHaveLength(1);
    expect(new Set(ports).size).toBe(8);
    for (const lab of labs) expect(lab.of("hello")[0]!.preferredPort).toBe(preferred);

    const holder = labs[ports.indexOf(preferred)]!;
    await holder.close();
    const next = await open(url);
    expect(next.of("hello")[0]!.labPort).toBe(preferred);
  });

  it("never delivers one session's events to another while six run different lessons at once", async () => {
    const { url } = await start();
    const labs = await Promise.all(Array.from({ length: 6 }, () => open(url)));
    const runs = labs.map(async (lab, i) => {
      if (i % 3 === 0) {
        lab.send({ type: "module.load", module: "server" });
        await lab.waitForStep("server", "accept", "enter");
        lab.send({ type: "module.load", module: "client" });
        await lab.waitForState("server", "live");
        await lab.waitForState("client", "live");
      } else if (i % 3 === 1) {
        lab.send({ type: "module.load", module: "client" });
        await lab.waitForState("client", "failed");
      } else {
        lab.send({ type: "module.load", module: "server" });
        await lab.waitForStep("server", "accept", "enter");
      }
    });
    await Promise.all(runs);
    labs.forEach((lab, i) => {
      const numbers = seqs(lab.events);
      // One lab's own counter: any foreign event would repeat or skip a number.
      expect(numbers).toEqual(numbers.map((_, k) => k + 1));
      const log = lab.printk();
      expect(log.filter((t) => t === "server init:\n")).toHaveLength(i % 3 === 1 ? 0 : 1);
      expect(log.filter((t) => t === "client:init\n")).toHaveLength(i % 3 === 2 ? 0 : 1);
      expect(lab.console().filter((t) => t.startsWith("$ insmod"))).toHaveLength(i % 3 === 0 ? 2 : 1);
    });
  });

  it("keeps the commands that arrive with the handshake, before the lab has its port, and runs them in order", async () => {
    const { url, port } = await start();
    // One write: the upgrade request and two frames behind it, so they reach the server while it
    // is still finding the session's lab port.
    const socket = net.connect({ host: "127.0.0.1", port });
    // Deliberately empty: the test reads the frames that arrived; a reset at the end is not its subject.
    socket.on("error", () => {});
    let received = Buffer.alloc(0);
    socket.on("data", (chunk) => (received = Buffer.concat([received, chunk])));
    const key = Buffer.from("0123456789abcdef").toString("base64");
    const request = `GET /ws HTTP/1.1\r\nHost: ${new URL(url).host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n\r\n`;
    socket.write(
      Buffer.concat([
        Buffer.from(request),
        maskedTextFrame("{not json"),
        maskedTextFrame('{"type":"module.load","module":"client"}'),
      ]),
    );
    const events = () => serverFrames(received).map((text) => JSON.parse(text) as ServerEvent);
    await expect
      .poll(() => events().some((e) => e.type === "module.state" && e.state === "failed"))
      .toBe(true);
    expect(
      events()
        .map((e) => e.type)
        .slice(0, 3),
    ).toEqual(["hello", "error", "console"]);
    socket.destroy();
  });

  it('tells the session one over MAX_SESSIONS that the server is full, closes it with 1013 "try again later", and admits it once a seat frees', async () => {
    const { url, sessions } = await start({ maxSessions: 3 });
    const seated = await Promise.all([open(url), open(url), open(url)]);
    const extra = new WebSocket(labSocketUrl(url));
    const messages: ServerEvent[] = [];
    extra.on("message", (data) => messages.push(JSON.parse(String(data))));
    const closed = await closeOf(extra);
    expect(closed).toEqual({ code: 1013, reason: "try again later" });
    expect(messages).toEqual([
      { type: "error", code: "full", message: expect.stringMatching(/full.*3 labs.*Try again/) },
    ]);
    expect(sessions.size).toBe(3);

    await seated[0]!.close();
    await expect.poll(() => sessions.size).toBe(2);
    const later = await open(url);
    expect(later.of("hello")).toHaveLength(1);
  });

  it("holds 500 sessions at once, the default limit, each with a server blocked in accept on its own port, then frees every descriptor", async () => {
    // One test client is every learner, all from 127.0.0.1: the per-address caps are lifted.
    const { url, sessions } = await start({
      maxSessions: undefined,
      maxSessionsPerAddress: 1000,
      maxSessionsPerLearner: 1000,
      connections: { perAddress: 2000 },
    });
    const baseline = openFds();
    const labs: LabClient[] = [];
    for (let batch = 0; batch < 10; batch++) {
      const opened = await Promise.all(Array.from({ length: 50 }, () => LabClient.open(url)));
      for (const lab of opened) lab.send({ type: "module.load", module: "server" });
      await Promise.all(opened.map((lab) => lab.waitForStep("server", "accept", "enter")));
      labs.push(...opened);
    }
    expect(sessions.size).toBe(500);
    expect(new Set(labs.map((lab) => lab.of("hello")[0]!.labPort)).size).toBe(500);
    const extra = new WebSocket(labSocketUrl(url));
    expect(await closeOf(extra)).toEqual({ code: 1013, reason: "try again later" });

    await Promise.all(labs.map((lab) => lab.close()));
    await expect.poll(() => sessions.size).toBe(0);
    await expectFdsBackTo(baseline);
  });
});

describe("sessions that go quiet", () => {
  // The idle timer runs on a fake setTimeout, so the test moves its clock while sockets, frames and
  // the lab run in real time: no sleeping, and a loaded machine cannot make a command look late.
  // Polling waits advance the fake clock by at most the real time they spend (a few seconds at
  // worst), well inside the margins below.
  const IDLE_MS = 60_000;
  const fakeIdleClock = () => vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("tells an idle session why before closing it, and releases its lab", async () => {
    fakeIdleClock();
    const { url, sessions } = await start({ idleTimeoutMs: IDLE_MS });
    const lab = await open(url);
    lab.send({ type: "module.load", module: "server" });
    await lab.waitForStep("server", "accept", "enter");
    const port = lab.of("hello")[0]!.labPort;
    const closed = closeOf(lab.ws);
    vi.advanceTimersByTime(IDLE_MS - 10_000);
    expect(lab.ws.readyState).toBe(WebSocket.OPEN);
    vi.advanceTimersByTime(10_000);
    expect(await closed).toEqual({ code: 1000, reason: "idle" });
    expect(lab.of("error").at(-1)).toMatchObject({
      code: "idle",
      message: "This lab was closed after 1 minute without a command. Reload the page to start a new lab.",
    });
    expect(sessions.size).toBe(0);
    await expect.poll(() => canListen(port)).toBe(true);
  });

  it("keeps a session that sends commands open past the idle timeout", async () => {
    fakeIdleClock();
    const { url, sessions } = await start({ idleTimeoutMs: IDLE_MS });
    const lab = await open(url);
    for (let sent = 1; sent <= 4; sent++) {
      lab.send({ type: "stepMode.set", enabled: false });
      await expect.poll(() => lab.of("settings").length).toBe(sent);
      // Silence shorter than the timeout since this command: the command must have re-armed it.
      vi.advanceTimersByTime(IDLE_MS - 10_000);
    }
    // 200 s of the session's clock, over three timeouts, and it is still open.
    expect(lab.ws.readyState).toBe(WebSocket.OPEN);
    expect(sessions.size).toBe(1);
  });

  it("terminates a client that stops answering pings and keeps one that answers", async () => {
    const { url, sessions } = await start({ heartbeatMs: 40 });
    const alive = await open(url);
    const dead = new WebSocket(labSocketUrl(url), { autoPong: false });
    // Deliberately empty: the server terminates this client; the test asserts the close (1006).
    dead.on("error", () => {});
    await new Promise((resolve) => dead.once("open", resolve));
    let pings = 0;
    dead.on("ping", () => pings++);
    const closed = await closeOf(dead);
    expect(closed.code).toBe(1006);
    expect(pings).toBeGreaterThanOrEqual(1);
    await expect.poll(() => sessions.size).toBe(1);
    expect(alive.ws.readyState).toBe(WebSocket.OPEN);
  });
});

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.once("error", () => resolve(false));
    probe.listen({ host: "127.0.0.1", port, exclusive: true }, () => probe.close(() => resolve(true)));
  });
}

/** A client frame as RFC 6455 wants it: FIN, text, masked (short payloads only). */
function maskedTextFrame(text: string): Buffer {
  const payload = Buffer.from(text);
  const mask = Buffer.from([1, 2, 3, 4]);
  const masked = payload.map((byte, i) => byte ^ mask[i % 4]!);
  return Buffer.concat([Buffer.from([0x81, 0x80 | payload.length]), mask, masked]);
}

/** The text of the server's (unmasked) frames after the 101 response's headers. */
function serverFrames(bytes: Buffer): string[] {
  let at = bytes.indexOf("\r\n\r\n");
  if (at < 0) return [];
  at += 4;
  const texts: string[] = [];
  while (at + 2 <= bytes.length) {
    let length = bytes[at + 1]! & 0x7f;
    let header = 2;
    if (length === 126) {
      if (at + 4 > bytes.length) break;
      length = bytes.readUInt16BE(at + 2);
      header = 4;
    }
    if (at + header + length > bytes.length) break;
    texts.push(bytes.subarray(at + header, at + header + length).toString());
    at += header + length;
  }
  return texts;
}
