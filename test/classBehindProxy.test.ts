import { afterEach, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { labSocketUrl } from "./helpers/labSocketUrl.ts";
import { type RunningApp, startApp } from "../server/app.ts";
import { ConfigError, readConfig } from "../server/config.ts";
import { addressKey } from "../server/transport/addressQuota.ts";
import { LEARNER_COOKIE, LearnerIdentity } from "../server/transport/learnerIdentity.ts";
import { learnerAddress, parseTrustedProxies } from "../server/transport/trustedProxy.ts";
import type { ServerEvent } from "../shared/protocol/messages.ts";

let app: RunningApp | undefined;
const sockets: WebSocket[] = [];

afterEach(async () => {
  for (const ws of sockets.splice(0)) ws.terminate();
  await app?.close();
  app = undefined;
});

type Lab = { ws: WebSocket; events: ServerEvent[]; outcome: Promise<"lab" | "refused"> };

/** A lab WebSocket as a proxy or a browser would open it: from `localAddress`, with `headers`. */
function openLab(url: string, localAddress: string, headers: Record<string, string> = {}): Lab {
  const ws = new WebSocket(labSocketUrl(url), { localAddress, headers });
  sockets.push(ws);
  ws.on("error", () => {});
  const events: ServerEvent[] = [];
  const outcome = new Promise<"lab" | "refused">((resolve) => {
    ws.on("message", (data) => {
      const event = JSON.parse(String(data)) as ServerEvent;
      events.push(event);
      if (event.type === "hello") resolve("lab");
    });
    ws.once("close", () => resolve("refused"));
  });
  return { ws, events, outcome };
}

async function outcomes(labs: Lab[]): Promise<Record<string, number>> {
  const all = await Promise.all(labs.map((lab) => lab.outcome));
  return { lab: all.filter((o) => o === "lab").length, refused: all.filter((o) => o === "refused").length };
}

/** A browser's first visit: the page's answer carries the learner cookie it keeps. */
async function browserCookie(url: string): Promise<string> {
  const response = await fetch(`${url}/`);
  const set = response.headers.getSetCookie().find((c) => c.startsWith(`${LEARNER_COOKIE}=`));
  if (!set) throw new Error("the page set no learner cookie");
  return set.split(";")[0]!;
}

describe("a class behind a proxy", () => {
  it("gives 20 learners behind a trusted proxy (distinct X-Forwarded-For) 20 labs, and ignores the same headers from a peer it does not trust", async () => {
    app = await startApp({
      port: 0,
      labPort: 0,
      trustedProxies: parseTrustedProxies("127.0.0.1"),
      maxSessionsPerLearner: 8,
    });
    const learners = Array.from({ length: 20 }, (_, i) => `203.0.113.${i + 10}`);
    const behindProxy = learners.map((learner) =>
      openLab(app!.url, "127.0.0.1", { "X-Forwarded-For": `${learner}, 127.0.0.1` }),
    );
    expect(await outcomes(behindProxy)).toEqual({ lab: 20, refused: 0 });

    // 127.0.0.2 is not in TRUST_PROXY: what it says it forwards is its own word, so it is one learner.
    const untrusted = learners.map((learner) =>
      openLab(app!.url, "127.0.0.2", { "X-Forwarded-For": learner }),
    );
    expect(await outcomes(untrusted)).toEqual({ lab: 8, refused: 12 });
    const refused = untrusted.find((lab) => !lab.events.some((e) => e.type === "hello"));
    expect(refused?.events).toEqual([
      { type: "error", code: "address-full", message: expect.stringMatching(/already hold 8 labs/) },
    ]);
  });

  it("counts IPv6 learners forwarded in a Forwarded header by their /64", async () => {
    app = await startApp({
      port: 0,
      labPort: 0,
      trustedProxies: parseTrustedProxies("127.0.0.0/8"),
      maxSessionsPerLearner: 1,
    });
    const forwardedFor = (address: string) => ({ Forwarded: `for="[${address}]:4711";proto=https` });
    const first = openLab(app.url, "127.0.0.1", forwardedFor("2001:db8:1:2::7"));
    expect(await first.outcome).toBe("lab");
    // Another address in the same /64 is the same home or room: its share is taken.
    const sameNetwork = openLab(app.url, "127.0.0.1", forwardedFor("2001:db8:1:2:aaaa::9"));
    expect(await sameNetwork.outcome).toBe("refused");
    const otherNetwork = openLab(app.url, "127.0.0.1", forwardedFor("2001:db8:1:3::7"));
    expect(await otherNetwork.outcome).toBe("lab");
  });

  it("gives 20 browsers behind one NAT address 20 labs by their signed cookies, bounded by the per-address ceiling, and counts a forged cookie as the bare address", async () => {
    app = await startApp({
      port: 0,
      labPort: 0,
      maxSessionsPerLearner: 1,
      maxSessionsPerAddress: 20,
    });
    const cookies = await Promise.all(Array.from({ length: 20 }, () => browserCookie(app!.url)));
    expect(new Set(cookies).size).toBe(20);
    const browsers = cookies.map((cookie) => openLab(app!.url, "127.0.0.3", { Cookie: cookie }));
    expect(await outcomes(browsers)).toEqual({ lab: 20, refused: 0 });
    // The 21st learner from that address is past the ceiling, however good its cookie.
    const late = openLab(app.url, "127.0.0.3", { Cookie: await browserCookie(app.url) });
    expect(await late.outcome).toBe("refused");
    expect(late.events[0]).toMatchObject({ code: "address-full", message: expect.stringMatching(/20 labs/) });

    // A cookie this server did not sign is no identity: the client is its address, share 1.
    const forged = `${LEARNER_COOKIE}=AAAAAAAAAAAAAAAAAAAAAA.bm90LWEtc2lnbmF0dXJl`;
    const first = openLab(app.url, "127.0.0.4", { Cookie: forged });
    expect(await first.outcome).toBe("lab");
    expect(await openLab(app.url, "127.0.0.4", { Cookie: forged }).outcome).toBe("refused");
  });

  it("answers a WebSocket that came without a learner cookie with one, so the page's next lab is this browser's", async () => {
    app = await startApp({ port: 0, labPort: 0, maxSessionsPerLearner: 1 });
    const ws = new WebSocket(labSocketUrl(app.url), { localAddress: "127.0.0.5" });
    sockets.push(ws);
    const headers = await new Promise<Record<string, string | string[] | undefined>>((resolve) =>
      ws.once("upgrade", (response) => resolve(response.headers)),
    );
    const cookie = [headers["set-cookie"] ?? []].flat().find((c) => c.startsWith(`${LEARNER_COOKIE}=`));
    expect(cookie).toMatch(/HttpOnly; SameSite=Lax/);
    // The first lab took the address's share of 1; the same address with the cookie is a learner of its own.
    expect(await openLab(app.url, "127.0.0.5").outcome).toBe("refused");
    expect(await openLab(app.url, "127.0.0.5", { Cookie: cookie!.split(";")[0]! }).outcome).toBe("lab");
  });
});

describe("who the learner is", () => {
  const trusted = parseTrustedProxies("10.0.0.0/8, 192.168.1.1, fd00::/8");

  it("takes the rightmost forwarded hop that is not a trusted proxy", () => {
    const headers = { "x-forwarded-for": "6.6.6.6, 198.51.100.7, 10.1.2.3" };
    expect(learnerAddress("192.168.1.1", headers, trusted)).toBe("198.51.100.7");
    expect(learnerAddress("::ffff:10.0.0.9", headers, trusted)).toBe("198.51.100.7");
  });

  it("ignores the forwarding headers of a peer that is not trusted", () => {
    expect(learnerAddress("198.51.100.7", { "x-forwarded-for": "6.6.6.6" }, trusted)).toBe("198.51.100.7");
    expect(learnerAddress("10.0.0.9", { "x-forwarded-for": "6.6.6.6" }, parseTrustedProxies(""))).toBe(
      "10.0.0.9",
    );
  });

  it("prefers Forwarded over X-Forwarded-For and stops at a hop that is not an address", () => {
    const headers = {
      forwarded: 'for=192.0.2.60;proto=http, for="[2001:db8::cafe]:80"',
      "x-forwarded-for": "6.6.6.6",
    };
    expect(learnerAddress("10.0.0.1", headers, trusted)).toBe("2001:db8::cafe");
    expect(learnerAddress("10.0.0.1", { forwarded: "for=unknown" }, trusted)).toBe("10.0.0.1");
    expect(learnerAddress("10.0.0.1", { "x-forwarded-for": "10.0.0.2" }, trusted)).toBe("10.0.0.2");
  });

  it("groups IPv6 addresses by /64 and keeps IPv4 addresses whole", () => {
    expect(addressKey("2001:db8:1:2:3:4:5:6")).toBe("2001:db8:1:2::/64");
    expect(addressKey("2001:0db8:0001:0002::1")).toBe("2001:db8:1:2::/64");
    expect(addressKey("::ffff:192.0.2.1")).toBe("192.0.2.1");
    expect(addressKey("198.51.100.7")).toBe("198.51.100.7");
  });

  it("believes only the cookies it signed", () => {
    const identity = new LearnerIdentity("a".repeat(32));
    const value = identity.issue();
    const id = identity.idFrom(`other=1; ${LEARNER_COOKIE}=${value}`);
    expect(id).toMatch(/^[\w-]{22}$/);
    expect(new LearnerIdentity("b".repeat(32)).idFrom(`${LEARNER_COOKIE}=${value}`)).toBeUndefined();
    expect(identity.idFrom(`${LEARNER_COOKIE}=${value}x`)).toBeUndefined();
    expect(identity.idFrom(undefined)).toBeUndefined();
  });
});

describe("deployment settings", () => {
  it("reads TRUST_PROXY, HTTPS as 1/0/true/false and a learner secret, and refuses what it cannot trust, naming it", () => {
    const { config } = readConfig({ TRUST_PROXY: "10.0.0.0/8,::1", HTTPS: "true", DRAIN_SECONDS: "30" });
    expect(config.trustedProxies?.text).toBe("10.0.0.0/8,::1");
    expect(config).toMatchObject({ secure: true, drainSeconds: 30 });
    expect(readConfig({ HTTPS: "false" }).config.secure).toBe(false);
    expect(readConfig({ HTTPS: "TRUE" }).config.secure).toBe(true);
    expect(() => readConfig({ HTTPS: "yes please" })).toThrow(/HTTPS=yes please is not 1, 0, true or false/);
    expect(() => readConfig({ TRUST_PROXY: "10.0.0.0/8,proxy.local" })).toThrow(ConfigError);
    expect(() => readConfig({ TRUST_PROXY: "10.0.0.0/99" })).toThrow(/TRUST_PROXY=10.0.0.0\/99/);
    expect(() => readConfig({ LEARNER_SECRET: "short" })).toThrow(/LEARNER_SECRET is 5 characters/);
  });
});
