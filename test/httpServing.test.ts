import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import http from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import zlib from "node:zlib";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type AppOptions, type RunningApp, startApp } from "../server/app.ts";
import { checkUpgrade } from "../server/transport/originPolicy.ts";
import { upgradeStatus } from "./helpers/upgradeStatus.ts";

let app: RunningApp | undefined;
const PRE_BR_QUALITY = 11;
let staticDir: string;
/** A built client's shape: index.html and a content-hashed script under assets/, as Vite writes them. */
const SCRIPT = `export const lines = ${JSON.stringify(Array.from({ length: 4000 }, (_, i) => `line ${i} of the listing`))};\n`;

const PRE_BR = zlib.brotliCompressSync(SCRIPT, {
  params: { [zlib.constants.BROTLI_PARAM_QUALITY]: PRE_BR_QUALITY },
});

beforeAll(() => {
  staticDir = mkdtempSync(join(tmpdir(), "ksl-static-"));
  mkdirSync(join(staticDir, "assets"));
  writeFileSync(
    join(staticDir, "index.html"),
    `<!doctype html><script type="module" src="/assets/index-3f9a1c2b.js"></script>${"<!-- -->".repeat(200)}`,
  );
  writeFileSync(join(staticDir, "assets", "index-3f9a1c2b.js"), SCRIPT);
  // A chunk the build pre-compressed (build/precompressPlugin.ts writes .br and .gz beside it).
  writeFileSync(join(staticDir, "assets", "xterm-9c1d2e3f.js"), SCRIPT);
  writeFileSync(join(staticDir, "assets", "xterm-9c1d2e3f.js.br"), PRE_BR);
  writeFileSync(join(staticDir, "assets", "xterm-9c1d2e3f.js.gz"), zlib.gzipSync(SCRIPT, { level: 9 }));
});
afterAll(() => rmSync(staticDir, { recursive: true, force: true }));
afterEach(async () => {
  await app?.close();
  app = undefined;
});

async function start(options: AppOptions = {}): Promise<RunningApp> {
  app = await startApp({ port: 0, labPort: 0, staticDir, ...options });
  return app;
}

type Reply = { status: number; headers: http.IncomingHttpHeaders; body: Buffer };

/** A raw GET, so Host and Accept-Encoding are exactly what the test says (fetch would decode). */
function get(url: string, path: string, headers: Record<string, string> = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.get(`${url}${path}`, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
      );
    });
    req.on("error", reject);
  });
}

describe("serving like a production app", () => {
  it("sends the entry script brotli-compressed to a browser that accepts br, gzip to one that accepts only gzip, with an immutable cache header", async () => {
    const { url } = await start();
    const br = await get(url, "/assets/index-3f9a1c2b.js", { "accept-encoding": "gzip, deflate, br" });
    expect(br.headers["content-encoding"]).toBe("br");
    expect(zlib.brotliDecompressSync(br.body).toString()).toBe(SCRIPT);
    expect(br.body.length).toBeLessThan(SCRIPT.length / 4);
    expect(br.headers["cache-control"]).toBe("public, max-age=31536000, immutable");

    const gzip = await get(url, "/assets/index-3f9a1c2b.js", { "accept-encoding": "gzip" });
    expect(gzip.headers["content-encoding"]).toBe("gzip");
    expect(zlib.gunzipSync(gzip.body).toString()).toBe(SCRIPT);

    const plain = await get(url, "/assets/index-3f9a1c2b.js");
    expect(plain.headers["content-encoding"]).toBeUndefined();
    expect(plain.body.toString()).toBe(SCRIPT);
  });

  it("sends the build's pre-compressed copy as it is, brotli for Chromium's Accept-Encoding, and the file itself to a client that takes neither", async () => {
    const { url } = await start();
    const br = await get(url, "/assets/xterm-9c1d2e3f.js", { "accept-encoding": "gzip, deflate, br, zstd" });
    expect(br.headers["content-encoding"]).toBe("br");
    expect(br.body.equals(PRE_BR)).toBe(true);
    expect(br.headers["content-type"]).toMatch(/^text\/javascript/);
    expect(br.headers["cache-control"]).toBe("public, max-age=31536000, immutable");
    expect(br.headers.vary).toMatch(/Accept-Encoding/);
    const gzip = await get(url, "/assets/xterm-9c1d2e3f.js", { "accept-encoding": "gzip;q=1, br;q=0" });
    expect(gzip.headers["content-encoding"]).toBe("gzip");
    expect(zlib.gunzipSync(gzip.body).toString()).toBe(SCRIPT);
    const plain = await get(url, "/assets/xterm-9c1d2e3f.js", { "accept-encoding": "identity" });
    expect(plain.headers["content-encoding"]).toBeUndefined();
    expect(plain.body.toString()).toBe(SCRIPT);
    expect((await get(url, "/assets/missing-0000.js", { "accept-encoding": "br" })).status).toBe(404);
  });

  it("has index.html revalidated on every load", async () => {
    const { url } = await start();
    for (const path of ["/", "/index.html"]) {
      const page = await get(url, path, { "accept-encoding": "br" });
      expect(page.status).toBe(200);
      expect(page.headers["cache-control"]).toBe("no-cache");
    }
  });

  it("sends no HSTS over plain http, and sends it when told the page is served over https", async () => {
    const { url } = await start();
    expect((await get(url, "/")).headers["strict-transport-security"]).toBeUndefined();
    await app?.close();
    const secure = await start({ secure: true });
    expect((await get(secure.url, "/")).headers["strict-transport-security"]).toMatch(/^max-age=\d+/);
  });

  it("answers /healthz for this machine's names only: a page on evil.example gets no session count", async () => {
    const { url, port } = await start();
    const ours = await get(url, "/healthz");
    expect(JSON.parse(ours.body.toString())).toEqual({ ok: true, sessions: 0 });
    const rebound = await get(url, "/healthz", { host: `evil.example:${port}` });
    expect(rebound.status).toBe(403);
    expect(rebound.body.toString()).not.toContain("sessions");
  });
});

describe("the Origin check compares scheme, host and port", () => {
  it("refuses an https:// Origin for the http page on the same host and port", async () => {
    const { url } = await start();
    const host = new URL(url).host;
    expect(await upgradeStatus(url, { origin: `https://${host}` })).toBe(403);
    expect(await upgradeStatus(url, { origin: `http://${host}` })).toBe(101);
  });

  it("takes https:// as the page's own origin when told it is served over https, and http:// then as another", () => {
    const policy = { allowedOrigins: [], loopbackOnly: true };
    const host = "127.0.0.1:3000";
    expect(checkUpgrade({ origin: `http://${host}`, host }, policy).ok).toBe(true);
    expect(checkUpgrade({ origin: `https://${host}`, host }, policy).ok).toBe(false);
    expect(checkUpgrade({ origin: "http://127.0.0.1:3001", host }, policy).ok).toBe(false);
    expect(checkUpgrade({ origin: `https://${host}`, host }, { ...policy, secure: true }).ok).toBe(true);
    expect(checkUpgrade({ origin: `http://${host}`, host }, { ...policy, secure: true }).ok).toBe(false);
  });
});
