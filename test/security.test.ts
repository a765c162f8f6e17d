import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { MAX_FRAME_BYTES, type ServerEvent } from "../shared/protocol/messages.ts";
import { type AppOptions, type RunningApp, startApp } from "../server/app.ts";
import { ConfigError, readConfig } from "../server/config.ts";
import { LabAddressRefused } from "../server/lab/labAddress.ts";
import { EventStamper } from "../server/engine/eventStamper.ts";
import { LabKernel } from "../server/lab/labKernel.ts";
import { MODULE_IMPLS } from "../server/lab/moduleTable.ts";
import { connect, createListener, createStream, listen, out } from "../server/lab/nodeSockets.ts";
import { checkUpgrade } from "../server/transport/originPolicy.ts";
import { FrameBudget } from "../server/transport/rateLimit.ts";
import { ReadThrottle } from "../server/transport/readThrottle.ts";
import { LabClient } from "./helpers/labClient.ts";
import { isStep } from "./helpers/stepEvents.ts";
import { upgradeStatus } from "./helpers/upgradeStatus.ts";

let app: RunningApp | undefined;
const clients: LabClient[] = [];
let staticDir: string;

beforeAll(() => {
  staticDir = mkdtempSync(join(tmpdir(), "lab-static-"));
  writeFileSync(
    join(staticDir, "index.html"),
    '<!doctype html><script type="module" src="/app.js"></script>',
  );
});
afterAll(() => rmSync(staticDir, { recursive: true, force: true }));

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  await app?.close();
  app = undefined;
});

async function start(options: AppOptions = {}): Promise<RunningApp> {
  app = await startApp({ port: 0, labPort: 0, staticDir, ...options });
  return app;
}

async function open(url: string): Promise<LabClient> {
  const client = await LabClient.open(url);
  clients.push(client);
  return client;
}

describe("who may open a lab", () => {
  it("refuses a WebSocket upgrade from a foreign Origin with 403 and opens no session", async () => {
    const { url, port, sessions } = await start();
    expect(await upgradeStatus(url, { origin: "http://evil.example" })).toBe(403);
    expect(await upgradeStatus(url, { origin: `http://evil.example:${port}` })).toBe(403);
    expect(await upgradeStatus(url, { origin: "null" })).toBe(403);
    expect(sessions.size).toBe(0);
  });

  it("accepts the page's own origin and the origins listed in ALLOWED_ORIGINS", async () => {
    const { url, port } = await start({ allowedOrigins: ["http://127.0.0.1:5173"] });
    expect(await upgradeStatus(url, { origin: `http://127.0.0.1:${port}` })).toBe(101);
    expect(await upgradeStatus(url, { origin: "http://127.0.0.1:5173" })).toBe(101);
    expect(await upgradeStatus(url, { origin: "http://127.0.0.1:5174" })).toBe(403);
  });

  it("refuses a page whose DNS name was rebound to 127.0.0.1, though it is same-origin with itself", async () => {
    const { url, port } = await start();
    const host = `rebound.example:${port}`;
    expect(await upgradeStatus(url, { origin: `http://${host}`, host })).toBe(403);
    expect(
      checkUpgrade({ origin: `http://${host}`, host }, { allowedOrigins: [], loopbackOnly: false }),
    ).toEqual({ ok: true });
  });

  it("judges Origin against the Host the browser asked for, and refuses what is not a web origin", () => {
    const policy = { allowedOrigins: [], loopbackOnly: true };
    expect(checkUpgrade({ origin: "http://localhost:3000", host: "localhost:3000" }, policy).ok).toBe(true);
    expect(checkUpgrade({ origin: "http://[::1]:3000", host: "[::1]:3000" }, policy).ok).toBe(true);
    expect(checkUpgrade({ origin: "http://localhost:3000", host: "127.0.0.1:3000" }, policy).ok).toBe(false);
    expect(checkUpgrade({ origin: "file://", host: "127.0.0.1:3000" }, policy).ok).toBe(false);
    expect(checkUpgrade({ origin: "http://127.0.0.1:3000" }, policy).ok).toBe(false);
    // Tools without a browser send no Origin; no other site can make them open a socket.
    expect(checkUpgrade({ host: "127.0.0.1:3000" }, policy).ok).toBe(true);
  });
});

describe("what a connection may send", () => {
  it(`closes a connection that sends a frame over ${MAX_FRAME_BYTES} bytes with 1009 and keeps serving the others`, async () => {
    const { url } = await start();
    const big = await open(url);
    const other = await open(url);
    const closed = new Promise<number>((resolve) => big.ws.once("close", (code) => resolve(code)));
    big.send("x".repeat(MAX_FRAME_BYTES + 1));
    expect(await closed).toBe(1009);
    other.send({ type: "module.load", module: "client" });
    await other.waitForState("client", "failed");
    expect(await (await fetch(`${url}/healthz`)).json()).toEqual({ ok: true, sessions: 1 });
  });

  it("closes a connection that sends text that is not UTF-8 with 1007 and keeps serving the others", async () => {
    const { url } = await start();
    const bad = await open(url);
    const other = await open(url);
    const closed = new Promise<number>((resolve) => bad.ws.once("close", (code) => resolve(code)));
    bad.ws.send(Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), { binary: false });
    expect(await closed).toBe(1007);
    other.send({ type: "module.load", module: "client" });
    await other.waitForState("client", "failed");
  });

  it("answers frames over the rate limit with one rate-limited error and does not process them", async () => {
    const { url } = await start({ rateLimit: { burst: 5, perSecond: 1 } });
    const lab = await open(url);
    for (let i = 0; i < 30; i++) lab.send({ type: "stepMode.set", enabled: i % 2 === 0 });
    await lab.waitFor((e) => e.type === "error" && e.code === "rate-limited");
    lab.send("{not json");
    await expect.poll(() => lab.of("settings").length, { timeout: 300 }).toBe(5);
    expect(lab.of("error").map((e) => e.code)).toEqual(["rate-limited"]);
  });

  it("stops reading a connection that streams 64 KiB frames over the rate limit, so TCP holds the sender back instead of the app reading them", async () => {
    const { url, sessions } = await start({ rateLimit: { burst: 5, perSecond: 2 } });
    const lab = await open(url);
    // The server's end of the WebSocket: how many bytes the app has read from it.
    const session = [...sessions][0] as unknown as { options: { transport: { bytesRead: number } } };
    const frame = JSON.stringify({ type: "stepMode.set", enabled: true, pad: "x".repeat(60 * 1024) });
    for (let i = 0; i < 400; i++) lab.send(frame);
    await lab.waitFor((e) => e.type === "error" && e.code === "rate-limited");
    const readBefore = session.options.transport.bytesRead;
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const readInASecond = session.options.transport.bytesRead - readBefore;
    // Its close would wait behind the queued frames: the connection is cut instead.
    lab.ws.terminate();
    // 24 MiB queued; at the limit's 2 frames a second the app reads a few reads' worth, not the queue.
    expect(readInASecond).toBeLessThan(2 * 1024 * 1024);
  });

  it("pauses reading for the time asked, once at a time, and resumes only while not disposed", () => {
    vi.useFakeTimers();
    try {
      const calls: string[] = [];
      const throttle = new ReadThrottle({
        pause: () => calls.push("pause"),
        resume: () => calls.push("resume"),
      });
      throttle.hold(50);
      throttle.hold(50);
      vi.advanceTimersByTime(49);
      expect(calls).toEqual(["pause"]);
      vi.advanceTimersByTime(1);
      expect(calls).toEqual(["pause", "resume"]);
      throttle.hold(50);
      throttle.dispose();
      vi.advanceTimersByTime(100);
      expect(calls).toEqual(["pause", "resume", "pause"]);
    } finally {
      vi.useRealTimers();
    }
  });

  it("lets a limited connection go on once its rate falls back under the limit", () => {
    let now = 0;
    const budget = new FrameBudget({ burst: 2, perSecond: 10 }, () => now);
    expect([budget.admit(), budget.admit(), budget.admit(), budget.admit()]).toEqual([
      "process",
      "process",
      "refuse",
      "drop",
    ]);
    now += 100;
    expect([budget.admit(), budget.admit()]).toEqual(["process", "refuse"]);
    now += 1000;
    expect([budget.admit(), budget.admit(), budget.admit()]).toEqual(["process", "process", "refuse"]);
  });

  it("answers a frame nested too deep to read with an error event, not a crash", async () => {
    const { url } = await start();
    const lab = await open(url);
    const depth = Math.floor((MAX_FRAME_BYTES - 20) / 2);
    lab.send(`{"type":${"[".repeat(depth)}${"]".repeat(depth)}}`);
    await lab.waitFor((e) => e.type === "error");
    lab.send({ type: "module.load", module: "client" });
    await lab.waitForState("client", "failed");
  });
});

describe("where lab sockets may bind and dial", () => {
  const owner = (port: number) => ({
    adopt: (r: net.Server | net.Socket) => owned.push(r),
    loopback: "127.0.0.1",
    port,
  });
  const owned: Array<net.Server | net.Socket> = [];
  afterEach(() => {
    for (const r of owned.splice(0)) "destroy" in r ? r.destroy() : r.close();
  });

  it.each([
    ["another host", { host: "203.0.113.7", port: 40001 }],
    ["another loopback name", { host: "localhost", port: 40001 }],
    ["another loopback address", { host: "127.0.0.2", port: 40001 }],
    ["IPv6 loopback", { host: "::1", port: 40001 }],
    ["another port on 127.0.0.1", { host: "127.0.0.1", port: 40002 }],
  ])(
    "refuses a connect to %s with EACCES and a message naming both addresses, without dialling",
    async (_what, addr) => {
      const sock = out<net.Socket>();
      createStream(owner(40001), sock);
      const refusal = connect(sock.current!, addr);
      await expect(refusal).rejects.toBeInstanceOf(LabAddressRefused);
      await expect(refusal).rejects.toMatchObject({ code: "EACCES", syscall: "connect" });
      await expect(refusal).rejects.toThrow(/refused to connect .* lab sockets use 127\.0\.0\.1:40001 only/);
      expect(sock.current!.connecting).toBe(false);
      expect(sock.current!.remoteAddress).toBeUndefined();
    },
  );

  it("refuses a listener on any address but 127.0.0.1 and the lab's port, binding nothing", async () => {
    for (const addr of [
      { host: "0.0.0.0", port: 40001 },
      { host: "127.0.0.1", port: 40002 },
    ]) {
      const sock = out<net.Server>();
      createListener(owner(40001), sock);
      await expect(listen(sock.current!, addr, 10)).rejects.toMatchObject({
        code: "EACCES",
        syscall: "bind",
      });
      expect(sock.current!.listening).toBe(false);
    }
  });

  it("fails a module that dials elsewhere with -EACCES on its connect line and tells the learner which address was refused", async () => {
    const published = MODULE_IMPLS.published!;
    const honest = published.client;
    // A module that, unlike the listing, dials a host of its own choosing.
    published.client = {
      async init(k) {
        const sock = out<net.Socket>();
        await k.call("sock_create_kern", () => createStream(k, sock));
        return k.call("connect", () => connect(sock.current!, { host: "203.0.113.7", port: k.port }));
      },
      async exit() {},
    };
    const events: ServerEvent[] = [];
    const lab = new LabKernel({ port: 40001, stamper: new EventStamper((e) => events.push(e)) });
    try {
      await lab.insmod("client");
    } finally {
      published.client = honest;
      lab.dispose();
    }
    const connectExit = events.find(isStep("client", "connect", "exit"));
    expect(connectExit).toMatchObject({ result: -13, errno: "EACCES" });
    expect(events).toContainEqual({
      type: "error",
      code: "refused",
      message:
        "the lab refused to connect 203.0.113.7:40001: lab sockets use 127.0.0.1:40001 only (loopback and this session's own port)",
    });
    expect(events.filter((e) => e.type === "module.state").at(-1)).toMatchObject({
      state: "failed",
      initResult: -13,
    });
  });

  it("refuses a socket the lab did not create, whatever address it asks for", async () => {
    const stray = new net.Socket();
    // Deliberately empty: the lab refuses before Node dials, so no error is expected; none may throw.
    stray.on("error", () => {});
    owned.push(stray);
    await expect(connect(stray, { host: "127.0.0.1", port: 40001 })).rejects.toBeInstanceOf(
      LabAddressRefused,
    );
  });
});

describe("the HTTP side", () => {
  it("sends a Content-Security-Policy with scripts from this origin only and no x-powered-by", async () => {
    const { url } = await start();
    const res = await fetch(`${url}/`);
    const csp = res.headers.get("content-security-policy") ?? "";
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("frame-ancestors 'self'");
    expect(csp).not.toMatch(/script-src[^;]*unsafe/);
    expect(csp).not.toContain("upgrade-insecure-requests");
    expect(res.headers.get("x-powered-by")).toBeNull();
  });

  it.each(["/%E0%A4%A", "/%", "/..%2f..%2fetc%2fpasswd", "/nothing-here"])(
    "answers the malformed or unknown path %s with a plain status text and no stack trace",
    async (path) => {
      const { url } = await start();
      const res = await fetch(`${url}${path}`);
      const body = await res.text();
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
      expect(res.headers.get("content-type")).toMatch(/^text\/plain/);
      expect(body).not.toMatch(/\bat \S+|Error|node_modules|\/work\//);
      expect(body.length).toBeLessThan(40);
    },
  );
});

describe("settings", () => {
  it("warns when HOST is not loopback and stays quiet for loopback names", () => {
    expect(readConfig({ HOST: "0.0.0.0" }).warnings).toEqual([
      expect.stringContaining("HOST=0.0.0.0 is not loopback"),
    ]);
    for (const HOST of ["127.0.0.1", "localhost", "::1", "[::1]"])
      expect(readConfig({ HOST }).warnings).toEqual([]);
    expect(readConfig({}).config).toMatchObject({ host: "127.0.0.1", port: 3000, maxSessions: 500 });
  });

  it("refuses a setting that is not a number in range, naming the variable", () => {
    expect(() => readConfig({ MAX_SESSIONS: "lots" })).toThrow(ConfigError);
    expect(() => readConfig({ IDLE_TIMEOUT_MS: "-5" })).toThrow(/IDLE_TIMEOUT_MS=-5/);
    expect(readConfig({ ALLOWED_ORIGINS: " http://a:1 ,,http://b:2" }).config.allowedOrigins).toEqual([
      "http://a:1",
      "http://b:2",
    ]);
  });
});
