import net from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { AddressQuota, addressKey } from "../server/transport/addressQuota.ts";
import { readConfig } from "../server/config.ts";
import { defaultTotalConnections } from "../server/transport/connectionLimits.ts";
import { describeFdLimit, readFdLimit } from "../server/transport/fdLimit.ts";
import { type AppProcess, spawnApp } from "./helpers/appProcess.ts";
import { LabClient } from "./helpers/labClient.ts";

let running: AppProcess | undefined;
const sockets: net.Socket[] = [];

afterEach(() => {
  for (const socket of sockets.splice(0)) socket.destroy();
  if (running && running.child.exitCode === null) running.child.kill("SIGKILL");
  running = undefined;
});

/** A connection that sends half a request's headers and then nothing, from `localAddress`. */
function halfOpen(port: number, localAddress: string): Promise<net.Socket> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: "127.0.0.1", port, localAddress });
    socket.on("error", () => {});
    // Reads what comes (a 408), so the server's FIN is seen and the socket closes.
    socket.resume();
    socket.once("connect", () => {
      socket.write("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ");
      resolve(socket);
    });
    socket.once("close", () => resolve(socket));
  });
}

describe("connection limits at the HTTP layer", () => {
  it("answers a fresh /healthz and opens a fresh lab within 1 s while 10,000 half-open connections come from one address, and closes every half-open one within the headers timeout", async () => {
    running = await spawnApp({ HEADERS_TIMEOUT_MS: "1000" });
    const { port } = new URL(running.url);
    await expect.poll(() => running!.output()).toMatch(/limits: file descriptors: \d+ .*128 per address/);
    for (let batch = 0; batch < 20; batch++) {
      sockets.push(
        ...(await Promise.all(Array.from({ length: 500 }, () => halfOpen(Number(port), "127.0.0.2")))),
      );
    }
    expect(sockets).toHaveLength(10_000);

    const health = await fetch(`${running.url}/healthz`, { signal: AbortSignal.timeout(1000) });
    expect(health.status).toBe(200);
    const lab = await Promise.race([
      LabClient.open(running.url),
      new Promise<never>((_, reject) =>
        setTimeout(() => reject(new Error("no lab within 1 s")), 1000).unref(),
      ),
    ]);
    expect(lab.of("hello")).toHaveLength(1);
    await lab.close();

    // Those past the per-address cap were closed at accept; the 128 it let in, at the headers timeout.
    await expect
      .poll(() => sockets.filter((s) => !s.destroyed && s.readyState !== "closed").length, {
        timeout: 1000 + 2000,
        interval: 50,
      })
      .toBe(0);
  }, 90_000);
});

describe("what the limits are made of", () => {
  it("counts what each address holds against its cap, folding IPv4-mapped IPv6 into IPv4", () => {
    const quota = new AddressQuota(2);
    expect(quota.take("10.0.0.5")).toBe(true);
    expect(quota.take("::ffff:10.0.0.5")).toBe(true);
    expect(quota.take("10.0.0.5")).toBe(false);
    expect(quota.take("10.0.0.6")).toBe(true);
    quota.give("::ffff:10.0.0.5");
    expect(quota.take("10.0.0.5")).toBe(true);
    quota.give("10.0.0.6");
    expect(quota.addresses).toBe(1);
    expect(addressKey(undefined)).toBe("?");
  });

  it("counts IPv6 clients by their /64, so one client's many addresses are one share", () => {
    expect(addressKey("2001:db8:1:2:a::1")).toBe("2001:db8:1:2::/64");
    expect(addressKey("2001:0db8:0001:0002:ffff:1:2:3")).toBe("2001:db8:1:2::/64");
    expect(addressKey("2001:db8::1")).toBe("2001:db8:0:0::/64");
    expect(addressKey("::1")).toBe("0:0:0:0::/64");
    expect(addressKey("fe80::1%eth0")).toBe("fe80:0:0:0::/64");
    expect(addressKey("2001:db8:1:3::1")).not.toBe(addressKey("2001:db8:1:2::1"));
    const quota = new AddressQuota(1);
    expect(quota.take("2001:db8:1:2::a")).toBe(true);
    expect(quota.take("2001:db8:1:2::b")).toBe(false);
  });

  it("reads the descriptor limit from /proc/self/limits and gives connections a quarter of it, at most 4096", () => {
    const text =
      "Max cpu time              unlimited            unlimited            seconds\nMax open files            20000                20000                files\n";
    expect(readFdLimit(text)).toEqual({ soft: 20000, hard: 20000 });
    expect(describeFdLimit(readFdLimit(text))).toBe("file descriptors: 20000 (hard limit 20000)");
    expect(
      readFdLimit("Max processes             63704                63704                processes"),
    ).toBeUndefined();
    expect(readFdLimit("Max open files            1024                 unlimited            files")).toEqual({
      soft: 1024,
      hard: "unlimited",
    });
    expect(defaultTotalConnections(20000)).toBe(4096);
    expect(defaultTotalConnections(1024)).toBe(256);
    expect(defaultTotalConnections(undefined)).toBe(256);
  });

  it("reads the limits from the environment, defaults where unset, and refuses a wrong value naming it", () => {
    const { config } = readConfig({
      MAX_CONNECTIONS: "900",
      HEADERS_TIMEOUT_MS: "2000",
      MAX_SESSIONS_PER_ADDRESS: "3",
      LAB_SOCKET_LIMIT: "16",
      HTTPS: "1",
    });
    expect(config.connections).toMatchObject({ total: 900, perAddress: 128, headersTimeoutMs: 2000 });
    expect(config).toMatchObject({ maxSessionsPerAddress: 3, labSocketLimit: 16, secure: true });
    expect(readConfig({}).config.connections?.total).toBeUndefined();
    expect(readConfig({}).config.sendBufferLimit).toBe(1024 * 1024);
    expect(() => readConfig({ HTTPS: "yes" })).toThrow(/HTTPS=yes/);
    expect(() => readConfig({ MAX_CONNECTIONS_PER_ADDRESS: "0" })).toThrow(/MAX_CONNECTIONS_PER_ADDRESS=0/);
  });
});
