import http from "node:http";
import type { AddressInfo } from "node:net";
import type { Duplex } from "node:stream";
import { fileURLToPath } from "node:url";
import { type RawData, type WebSocket, WebSocketServer } from "ws";
import {
  MAX_FRAME_BYTES,
  type ServerEvent,
  type ServerEventOf,
  WS_PATH,
} from "../shared/protocol/messages.ts";
import {
  DEFAULT_HEARTBEAT_MS,
  DEFAULT_IDLE_TIMEOUT_MS,
  DEFAULT_MAX_SESSIONS,
  DEFAULT_RATE_LIMIT,
  isLoopbackHost,
} from "./config.ts";
import { Heartbeat } from "./heartbeat.ts";
import { createHttpApp } from "./httpApp.ts";
import { LabPorts, LISTING_PORT } from "./labPorts.ts";
import { checkUpgrade } from "./originPolicy.ts";
import type { RateLimit } from "./rateLimit.ts";
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
  /** Sessions held at once; one more is told the server is full and closed with 1013. */
  maxSessions?: number;
  idleTimeoutMs?: number;
  /** How often clients are pinged; one that missed the previous ping is dropped. */
  heartbeatMs?: number;
  rateLimit?: RateLimit;
  /** On close, how long sessions get to complete the close handshake before they are cut. */
  shutdownGraceMs?: number;
};

export type RunningApp = {
  url: string;
  port: number;
  sessions: ReadonlySet<Session>;
  /** Tells every session the server is stopping, closes every socket, then stops listening. */
  close(): Promise<void>;
};

const SHUTDOWN_MESSAGE = "The lab server is shutting down; your lab was closed.";

const DEFAULT_STATIC = fileURLToPath(new URL("../dist/client/", import.meta.url));

export async function startApp(options: AppOptions = {}): Promise<RunningApp> {
  const host = options.host ?? "127.0.0.1";
  const maxSessions = options.maxSessions ?? DEFAULT_MAX_SESSIONS;
  const sessions = new Set<Session>();
  const app = createHttpApp({
    staticDir: options.staticDir ?? DEFAULT_STATIC,
    sessionCount: () => sessions.size,
  });
  const server = http.createServer(app);
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES });
  const heartbeat = new Heartbeat(wss, options.heartbeatMs ?? DEFAULT_HEARTBEAT_MS);
  const ports = new LabPorts(options.labPort ?? LISTING_PORT);
  const policy = { allowedOrigins: options.allowedOrigins ?? [], loopbackOnly: isLoopbackHost(host) };
  /** Upgraded connections still waiting for their lab port: they count against the limit too. */
  let opening = 0;
  let closing = false;

  server.on("upgrade", (req, socket, head) => {
    socket.on("error", () => socket.destroy());
    const path = new URL(req.url ?? "/", "http://x").pathname;
    if (path !== WS_PATH) return refuseUpgrade(socket, 404, "Not Found");
    if (closing) return refuseUpgrade(socket, 503, "Service Unavailable");
    const verdict = checkUpgrade(req.headers, policy);
    if (!verdict.ok) return refuseUpgrade(socket, 403, "Forbidden");
    wss.handleUpgrade(req, socket, head, (ws) => {
      // Deliberately empty: ws closes the connection itself after an error (a bad frame, a reset)
      // and the session's 'close' handler cleans up; unheard, the error would crash the server.
      ws.on("error", () => {});
      heartbeat.watch(ws);
      if (sessions.size + opening >= maxSessions) {
        const message = `This lab server is full: it holds ${maxSessions} labs at once. Try again in a few minutes.`;
        return refuseSession(ws, { type: "error", code: "full", message }, 1013, "try again later");
      }
      opening++;
      openSession(ws, socket)
        .catch((err: unknown) => {
          // No free port (or descriptors) for a lab: the tab is told, the server stays up.
          const message = `A lab could not be opened: ${(err as Error).message}. Try again in a few minutes.`;
          refuseSession(ws, { type: "error", code: "internal", message }, 1011, "no lab available");
        })
        .finally(() => opening--);
    });
  });

  async function openSession(ws: WebSocket, transport: Duplex): Promise<void> {
    // Frames sent before the lab has its port are kept and handed to the session in order.
    const early: Array<[RawData, boolean]> = [];
    const keep = (data: RawData, isBinary: boolean) => early.push([data, isBinary]);
    ws.on("message", keep);
    const labPort = await ports.acquire();
    ws.off("message", keep);
    if (ws.readyState !== ws.OPEN || closing) {
      ports.release(labPort);
      if (closing)
        refuseSession(
          ws,
          { type: "error", code: "shutdown", message: SHUTDOWN_MESSAGE },
          1001,
          "server shutting down",
        );
      return;
    }
    const session: Session = new Session(ws, {
      labPort,
      preferredPort: ports.preferredPort,
      rateLimit: options.rateLimit ?? DEFAULT_RATE_LIMIT,
      idleTimeoutMs: options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS,
      transport,
      onClose: () => {
        sessions.delete(session);
        ports.release(labPort);
      },
    });
    sessions.add(session);
    for (const [data, isBinary] of early) ws.emit("message", data, isBinary);
  }

  await new Promise<void>((resolve, reject) => {
    const onError = (err: Error) => {
      heartbeat.dispose();
      reject(err);
    };
    server.once("error", onError);
    server.listen(options.port ?? 0, host, () => {
      server.off("error", onError);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${host.includes(":") ? `[${host}]` : host}:${port}`,
    port,
    sessions,
    async close() {
      if (closing) return;
      closing = true;
      heartbeat.dispose();
      const closed = [...wss.clients].map(
        (ws) => new Promise<void>((resolve) => ws.once("close", () => resolve())),
      );
      for (const session of sessions) {
        session.end("shutdown", SHUTDOWN_MESSAGE, 1001, "server shutting down");
      }
      await settleWithin(Promise.all(closed), options.shutdownGraceMs ?? 2000);
      for (const ws of wss.clients) ws.terminate();
      wss.close();
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await stopped;
    },
  };
}

/** A connection that gets no session: the tab is told why, in the protocol, before the close. */
function refuseSession(ws: WebSocket, event: ServerEventOf<"error">, code: number, reason: string): void {
  if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(event satisfies ServerEvent));
  ws.close(code, reason);
}

function refuseUpgrade(socket: Duplex, status: number, text: string): void {
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

/** Waits for `work`, but no longer than `ms`; the timer is cleared either way. */
async function settleWithin(work: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, ms);
  });
  await Promise.race([work, deadline]);
  clearTimeout(timer);
}
