import { existsSync } from "node:fs";
import http from "node:http";
import express from "express";
import helmet from "helmet";

/**
 * The HTTP side: the built client and a health check behind helmet's headers. Scripts load from
 * this origin only; styles also allow inline because xterm.js creates <style> elements at run
 * time. Errors answer with the status's plain text, never a message or stack trace.
 */
export function createHttpApp(options: { staticDir: string; sessionCount: () => number }): express.Express {
  const app = express();
  app.disable("x-powered-by");
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
    }),
  );
  app.get("/healthz", (_req, res) => {
    res.json({ ok: true, sessions: options.sessionCount() });
  });
  if (existsSync(options.staticDir)) app.use(express.static(options.staticDir));
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
