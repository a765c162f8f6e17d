import { existsSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import express from "express";
import helmet from "helmet";
import { WebSocketServer } from "ws";
import { MAX_FRAME_BYTES, WS_PATH } from "../shared/protocol.ts";
import { LabPorts, LISTING_PORT } from "./labPorts.ts";
import { Session } from "./session.ts";

export type AppOptions = {
  host?: string;
  port?: number;
  /** The lab port the first session gets (tests pass 0 for "any free port"). */
  labPort?: number;
  /** Extra Origins allowed to open the WebSocket besides the page's own. */
  allowedOrigins?: string[];
  /** The built client to serve; omitted in dev, where Vite serves it. */
  staticDir?: string;
};

export type RunningApp = {
  url: string;
  port: number;
  sessions: ReadonlySet<Session>;
  close(): Promise<void>;
};

const DEFAULT_STATIC = fileURLToPath(new URL("../dist/client/", import.meta.url));

export async function startApp(options: AppOptions = {}): Promise<RunningApp> {
  const host = options.host ?? "127.0.0.1";
  const app = express();
  app.disable("x-powered-by");
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          // xterm.js builds its own <style> elements at run time; scripts stay 'self' only.
          styleSrc: ["'self'", "'unsafe-inline'"],
          connectSrc: ["'self'"],
          imgSrc: ["'self'", "data:"],
        },
      },
    }),
  );
  app.get("/healthz", (_req, res) => {
    res.json({ ok: true, sessions: sessions.size });
  });
  const staticDir = options.staticDir ?? DEFAULT_STATIC;
  if (existsSync(staticDir)) app.use(express.static(staticDir));
  app.use((_req, res) => {
    res.status(404).type("text/plain").send("Not found");
  });
  app.use((_err: unknown, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
    // Never send a stack trace to the browser.
    res.status(500).type("text/plain").send("Internal error");
  });

  const server = http.createServer(app);
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES });
  const ports = new LabPorts(options.labPort ?? LISTING_PORT);
  const sessions = new Set<Session>();

  server.on("upgrade", (req, socket, head) => {
    socket.on("error", () => socket.destroy());
    const path = new URL(req.url ?? "/", "http://x").pathname;
    const origin = req.headers.origin;
    const ownOrigin = `http://${req.headers.host}`;
    const allowed = origin === undefined || origin === ownOrigin || (options.allowedOrigins ?? []).includes(origin);
    if (path !== WS_PATH || !allowed) {
      socket.end(`HTTP/1.1 ${path !== WS_PATH ? "404 Not Found" : "403 Forbidden"}\r\nConnection: close\r\n\r\n`);
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      void openSession(ws);
    });
  });

  async function openSession(ws: import("ws").WebSocket): Promise<void> {
    ws.on("error", () => {});
    const labPort = await ports.acquire();
    if (ws.readyState !== ws.OPEN) return ports.release(labPort);
    const session: Session = new Session(ws, {
      labPort,
      preferredPort: ports.preferredPort,
      onClose: () => {
        sessions.delete(session);
        ports.release(labPort);
      },
    });
    sessions.add(session);
  }

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${host.includes(":") ? `[${host}]` : host}:${port}`,
    port,
    sessions,
    async close() {
      for (const session of sessions) session.close();
      for (const client of wss.clients) client.terminate();
      wss.close();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
}
