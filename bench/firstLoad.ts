import { readFileSync } from "node:fs";
import http from "node:http";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import type { Browser } from "@playwright/test";
import { startAppProcess } from "./appProcess.ts";
import { installInteractiveProbe, probeScript } from "./browserProbes.ts";
import type { BenchResult } from "./results.ts";
import { kib, median, ms, percentile } from "./stats.ts";

export const P4_TARGET_BYTES = 200 * 1024;
export const P4_TARGET_TTI_MS = 500;

type Asset = { path: string; raw: number; gzip: number };

/**
 * The assets a first visit must fetch before the app can run: the entry script and stylesheet that
 * index.html names (with its modulepreloads) and, transitively, every chunk they import statically.
 * Chunks reached only through `import()` load later and are not counted.
 */
export function initialAssets(distDir: string): Asset[] {
  const html = readFileSync(join(distDir, "index.html"), "utf8");
  const queue = [
    ...[...html.matchAll(/<script[^>]*\ssrc="([^"]+)"/g)].map((m) => m[1] as string),
    ...[...html.matchAll(/<link[^>]*\srel="(?:stylesheet|modulepreload)"[^>]*\shref="([^"]+)"/g)].map(
      (m) => m[1] as string,
    ),
    ...[...html.matchAll(/<link[^>]*\shref="([^"]+)"[^>]*\srel="(?:stylesheet|modulepreload)"/g)].map(
      (m) => m[1] as string,
    ),
  ].filter((url) => url.startsWith("/"));
  const seen = new Map<string, Asset>();
  while (queue.length > 0) {
    const url = queue.shift() as string;
    if (seen.has(url)) continue;
    const body = readFileSync(join(distDir, url));
    seen.set(url, { path: url, raw: body.length, gzip: gzipSync(body).length });
    if (url.endsWith(".js")) {
      const dir = url.slice(0, url.lastIndexOf("/") + 1);
      for (const spec of staticImports(body.toString("utf8")))
        queue.push(new URL(spec, `http://x${dir}`).pathname);
    }
  }
  return [...seen.values()];
}

/**
 * Relative specifiers of a built chunk's static imports. A bundler hoists them to the top of the
 * chunk, so only that prelude is read — statement by statement, stopping at the first that is not
 * an `import`/`export … from` — which keeps import-like text in string literals further down (the
 * bundled TS listings) out. `import("./x.js")` (lazy) never matches.
 */
export function staticImports(code: string): string[] {
  const found: string[] = [];
  const statement =
    /\s*(?:\/\*[\s\S]*?\*\/\s*)*(?:import|export)(?!\s*\()\s*(?:[\w$*{},\s]*?from\s*)?["']([^"']+)["'];?/y;
  for (let m = statement.exec(code); m; m = statement.exec(code)) {
    if (m[1]?.startsWith(".")) found.push(m[1]);
  }
  return found;
}

/**
 * What the app really sends for each asset to a browser that accepts brotli and gzip (Chromium's
 * Accept-Encoding): the bytes on the wire and the encoding chosen, read without decoding.
 */
async function servedBytes(appUrl: string, assets: Asset[]): Promise<{ bytes: number; encodings: string[] }> {
  let bytes = 0;
  const encodings = new Set<string>();
  for (const asset of assets) {
    const reply = await new Promise<{ length: number; encoding: string }>((resolve, reject) => {
      http
        .get(
          `${appUrl}${asset.path}`,
          { headers: { "accept-encoding": "gzip, deflate, br, zstd" } },
          (res) => {
            let length = 0;
            res.on("data", (chunk: Buffer) => (length += chunk.length));
            res.on("end", () => resolve({ length, encoding: res.headers["content-encoding"] ?? "identity" }));
          },
        )
        .on("error", reject);
    });
    bytes += reply.length;
    encodings.add(reply.encoding);
  }
  return { bytes, encodings: [...encodings] };
}

async function timeToInteractive(
  browser: Browser,
  url: string,
): Promise<{ hello: number; interactive: number }> {
  // A fresh context per load: an empty cache, as on a learner's first visit.
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await page.addInitScript(probeScript(installInteractiveProbe));
    await page.goto(url);
    await page.waitForFunction(
      () => performance.getEntriesByName("bench:interactive").length > 0,
      undefined,
      { timeout: 15_000 },
    );
    return await page.evaluate(() => ({
      hello: performance.getEntriesByName("bench:hello")[0]?.startTime ?? Number.NaN,
      interactive: performance.getEntriesByName("bench:interactive")[0]?.startTime ?? Number.NaN,
    }));
  } finally {
    await context.close();
  }
}

/** P4: what a first visit downloads, and how soon the lab can be used. */
export async function firstLoad(options: {
  browser: Browser;
  distDir: string;
  port: number;
  loads: number;
}): Promise<BenchResult> {
  const assets = initialAssets(options.distDir);
  const gzip = assets.reduce((sum, a) => sum + a.gzip, 0);
  const raw = assets.reduce((sum, a) => sum + a.raw, 0);
  const app = await startAppProcess(options.port, { STATIC_DIR: options.distDir });
  const hello: number[] = [];
  const interactive: number[] = [];
  let served: { bytes: number; encodings: string[] };
  try {
    served = await servedBytes(app.url, assets);
    await timeToInteractive(options.browser, app.url);
    for (let i = 0; i < options.loads; i++) {
      const t = await timeToInteractive(options.browser, app.url);
      hello.push(t.hello);
      interactive.push(t.interactive);
    }
  } finally {
    await app.stop();
  }
  const tti = median(interactive);
  return {
    title: "P4 first load",
    figures: [
      {
        id: "P4",
        name: "initial JS + CSS, gzip",
        measured: `${kib(gzip)} (${kib(raw)} raw, ${assets.length} files)`,
        target: `≤ ${kib(P4_TARGET_BYTES)}`,
        met: gzip <= P4_TARGET_BYTES,
      },
      {
        id: "P4",
        name: "initial JS + CSS as the app sends them",
        measured: `${kib(served.bytes)} (${served.encodings.join(", ")})`,
        target: `≤ ${kib(P4_TARGET_BYTES)}`,
        met: served.bytes <= P4_TARGET_BYTES,
      },
      {
        id: "P4",
        name: "time to interactive (median)",
        measured: `${ms(tti)} (p95 ${ms(percentile(interactive, 95))}; hello at ${ms(median(hello))})`,
        target: `≤ ${P4_TARGET_TTI_MS} ms`,
        met: tti <= P4_TARGET_TTI_MS,
      },
    ],
    notes: [
      `Bytes: the production build (\`vite build\` into ${options.distDir}); index.html's entry script, stylesheets and modulepreloads, plus every chunk they import statically, each gzipped at Node's default level 6: ${assets.map((a) => `${a.path} ${kib(a.gzip)}`).join(", ")}. Lazy chunks (\`import()\`) are not counted.`,
      `Time to interactive: Chromium (Debian's, the flags of playwright.config.ts) on http://127.0.0.1, a new browser context (empty cache) per load, ${options.loads} loads after one warm-up; from navigation start to the end of the first frame painted once the lab's \`hello\` frame has arrived and a "Start server" button is enabled. The app serves the files itself (express.static behind the compression middleware).`,
      "As sent: the same files fetched from the running app with Chromium's Accept-Encoding (gzip, deflate, br, zstd), bytes counted on the wire before decoding; the encoding the app chose is named.",
    ],
  };
}
