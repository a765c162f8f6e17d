import { existsSync } from "node:fs";
import http from "node:http";
import { basename, sep } from "node:path";
import compression from "compression";
import express from "express";
import helmet from "helmet";
import { timingSafeEqual } from "node:crypto";
import type { LearnerIdentity } from "./transport/learnerIdentity.ts";
import type { LabMetrics } from "./transport/metrics.ts";
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
  /** What /readyz answers: 200 while the app takes new labs, 503 with the reason otherwise. */
  readiness?: () => { ready: true } | { ready: false; reason: string };
  /** Issues each browser loading the page its signed learner cookie. */
  identity?: LearnerIdentity;
  /** /metrics, for a scraper that sends `Authorization: Bearer <token>`; absent, /metrics is a 404. */
  metrics?: { registry: LabMetrics; token: string };
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
  // Ready is not alive: a draining or full server is healthy but should get no new learners.
  app.get("/readyz", (req, res) => {
    if (!checkHost(req.headers.host, options.policy).ok) {
      res.status(403).type("text/plain").send("Forbidden");
      return;
    }
    const verdict = options.readiness?.() ?? { ready: true };
    res.status(verdict.ready ? 200 : 503).json(verdict);
  });
  const metrics = options.metrics;
  if (metrics) {
    const expected = Buffer.from(`Bearer ${metrics.token}`);
    app.get("/metrics", async (req, res) => {
      const given = Buffer.from(req.headers.authorization ?? "");
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
        res.status(401).set("WWW-Authenticate", "Bearer").type("text/plain").send("Unauthorized");
        return;
      }
      res.set("Content-Type", metrics.registry.contentType).send(await metrics.registry.text());
    });
  }
  const identity = options.identity;
  if (identity) {
    // The page's own load gives the browser its learner id, before its WebSocket is opened.
    app.use((req, res, next) => {
      const page = req.method === "GET" && (req.path === "/" || req.path.endsWith(".html"));
      if (page && !identity.idFrom(req.headers.cookie)) {
        res.append("Set-Cookie", identity.setCookie(identity.issue(), options.policy.secure ?? false));
      }
      next();
    });
  }
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
