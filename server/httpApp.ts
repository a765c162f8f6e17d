import { existsSync } from "node:fs";
import http from "node:http";
import { basename, sep } from "node:path";
import compression from "compression";
import express from "express";
import helmet from "helmet";
import { checkHost, type OriginPolicy } from "./transport/originPolicy.ts";
import { servePrecompressed } from "./transport/precompressed.ts";

/** Vite's output names every file under assets/ by a hash of its content: it may be kept for ever. */
const IMMUTABLE = "public, max-age=31536000, immutable";
/** Anything else (index.html above all) is revalidated on each load, so a new build is seen at once. */
const REVALIDATE = "no-cache";
const HSTS = "max-age=31536000; includeSubDomains";

/**
 * The HTTP side: the built client and a health check behind helmet's headers. Scripts load from
 * this origin only; styles also allow inline because xterm.js creates <style> elements at run
 * time. Responses are compressed (brotli or gzip, as the browser accepts), hashed assets cached
 * for a year and index.html revalidated. HSTS only when the page is served over https (a TLS
 * proxy in front says so with HTTPS=1): over plain http it would be meaningless at best.
 * Errors answer with the status's plain text, never a message or stack trace.
 */
export function createHttpApp(options: {
  staticDir: string;
  sessionCount: () => number;
  policy: OriginPolicy;
}): express.Express {
  const app = express();
  app.disable("x-powered-by");
  app.use(compression({ threshold: 1024 }));
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          styleSrc: ["'self'", "'unsafe-inline'"],
          connectSrc: ["'self'"],
          imgSrc: ["'self'", "data:"],
          // A teacher serving a classroom over plain http (HOST=0.0.0.0) must not have every
          // script request upgraded to an https that does not exist.
          upgradeInsecureRequests: null,
        },
      },
      strictTransportSecurity: false,
    }),
  );
  if (options.policy.secure) {
    app.use((_req, res, next) => {
      res.setHeader("Strict-Transport-Security", HSTS);
      next();
    });
  }
  // The same Host rule as the WebSocket: a DNS-rebinding page reads nothing of this server's.
  app.get("/healthz", (req, res) => {
    if (!checkHost(req.headers.host, options.policy).ok) {
      res.status(403).type("text/plain").send("Forbidden");
      return;
    }
    res.json({ ok: true, sessions: options.sessionCount() });
  });
  if (existsSync(options.staticDir)) {
    app.use(servePrecompressed(options.staticDir, IMMUTABLE));
    app.use(
      express.static(options.staticDir, {
        setHeaders(res, path) {
          const hashed = path.includes(`${sep}assets${sep}`) && basename(path) !== "index.html";
          res.setHeader("Cache-Control", hashed ? IMMUTABLE : REVALIDATE);
        },
      }),
    );
  }
  app.use((_req, res) => {
    res.status(404).type("text/plain").send("Not found");
  });
  app.use((err: unknown, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
    const status = statusOf(err);
    res
      .status(status)
      .type("text/plain")
      .send(http.STATUS_CODES[status] ?? "Error");
  });
  return app;
}

/** A client error (a malformed URI is 400) keeps its status; anything else is a plain 500. */
function statusOf(err: unknown): number {
  const status =
    (err as { status?: unknown; statusCode?: unknown } | null)?.status ??
    (err as { statusCode?: unknown } | null)?.statusCode;
  return typeof status === "number" && status >= 400 && status < 500 ? status : 500;
}
