/**
 * Serves the build's pre-compressed copies (`x.js.br`, `x.js.gz`, written by
 * build/precompressPlugin.ts) of the content-hashed files under assets/: brotli when the browser
 * accepts it, else gzip, else the file itself (express.static then serves it, and the compression
 * middleware compresses it on the fly). Nothing is compressed per request for a built asset.
 */
import { existsSync } from "node:fs";
import { extname, join, normalize, resolve, sep } from "node:path";
import type express from "express";

const ENCODINGS = [
  { name: "br", suffix: ".br" },
  { name: "gzip", suffix: ".gz" },
] as const;

export function servePrecompressed(staticDir: string, cacheControl: string): express.RequestHandler {
  // sendFile wants an absolute path; STATIC_DIR may be relative to the working directory.
  const root = resolve(staticDir) + sep;
  return (req, res, next) => {
    if ((req.method !== "GET" && req.method !== "HEAD") || !req.path.startsWith("/assets/")) return next();
    let path: string;
    try {
      path = normalize(join(root, decodeURIComponent(req.path)));
    } catch {
      return next();
    }
    // A path that climbs out of the build is not ours to answer (express.static refuses it too).
    if (!path.startsWith(root)) return next();
    const accepted = acceptedEncodings(req.headers["accept-encoding"]);
    // Ours, in order of size (brotli first), among those the browser accepts at all.
    const encoding = ENCODINGS.find((e) => accepted.has(e.name) && existsSync(path + e.suffix));
    res.vary("Accept-Encoding");
    if (!encoding) return next();
    res.setHeader("Content-Encoding", encoding.name);
    res.setHeader("Cache-Control", cacheControl);
    res.type(extname(path));
    res.sendFile(
      path + encoding.suffix,
      { cacheControl: false, lastModified: true, dotfiles: "deny" },
      (err) => {
        if (err && !res.headersSent) next(err);
      },
    );
  };
}

/**
 * The encodings an Accept-Encoding header allows (q > 0). Browsers list several at q=1
 * ("gzip, deflate, br, zstd"); which of those to send is the server's choice: the smallest.
 */
export function acceptedEncodings(header: string | undefined): Set<string> {
  const accepted = new Set<string>();
  for (const part of (header ?? "").split(",")) {
    const [name, ...params] = part.trim().toLowerCase().split(";");
    if (!name) continue;
    const q = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
    if (q === undefined || Number(q.slice(2)) > 0) accepted.add(name.trim());
  }
  return accepted;
}
