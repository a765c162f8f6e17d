import http from "node:http";
import type { AddressInfo } from "node:net";
import type { Duplex } from "node:stream";
import { fileURLToPath } from "node:url";
import { type RawData, type ServerOptions, type WebSocket, WebSocketServer } from "ws";
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
  DEFAULT_SESSIONS_PER_ADDRESS,
  isLoopbackHost,
} from "./config.ts";
import { AddressQuota, addressKey } from "./transport/addressQuota.ts";
import {
  type ConnectionLimits,
  DEFAULT_CONNECTION_LIMITS,
  defaultTotalConnections,
  httpServerOptions,
  limitConnections,
} from "./transport/connectionLimits.ts";
import { readFdLimit } from "./transport/fdLimit.ts";
import { Heartbeat } from "./transport/heartbeat.ts";
import { createHttpApp } from "./httpApp.ts";
import { LabPorts, LISTING_PORT } from "./kernelTruth/labPorts.ts";
import { checkUpgrade } from "./transport/originPolicy.ts";
import type { RateLimit } from "./transport/rateLimit.ts";
import { DEFAULT_SYSCALL_VIEW_MAX, TraceSlots } from "./syscalls/traceSlots.ts";
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
  /** Unsent bytes a session's WebSocket may hold before the session is dropped (back-pressure). */
  sendBufferLimit?: number;
  /** Labs one remote address may hold at once; one more is told why and closed with 1013. */
  maxSessionsPerAddress?: number;
  /** HTTP timeouts and connection caps (each defaults; `total` from the fd limit). */
  connections?: Partial<ConnectionLimits>;
  /** The page is served over https by a TLS proxy in front (HTTPS=1): HSTS, and https:// is its origin. */
  secure?: boolean;
  /** Sockets one lab's modules may hold open at once (LAB_SOCKET_LIMIT). */
  labSocketLimit?: number;
  /** Labs traced at once for the System calls tab (SYSCALL_VIEW_MAX); more wait in line. */
  syscallViewMax?: number;
  /** How long a closing WebSocket may take to answer the close frame before it is cut. */
  closeTimeoutMs?: number;
};

export type RunningApp = {
  url: string;
  port: number;
  sessions: ReadonlySet<Session>;
  /** The connection limits in force (the start line reports them). */
  limits: ConnectionLimits & { sessionsPerAddress: number };
  /** Tells every session the server is stopping, closes every socket, then stops listening. */
  close(): Promise<void>;
};

const SHUTDOWN_MESSAGE = "The lab server is shutting down; your lab was closed.";

/** ws waits 30 s for a close frame's answer by default; a client that does not read never answers. */
const DEFAULT_CLOSE_TIMEOUT_MS = 5000;

const DEFAULT_STATIC = fileURLToPath(new URL("../dist/client/", import.meta.url));

export async function startApp(options: AppOptions = {}): Promise<RunningApp> {
  const host = options.host ?? "127.0.0.1";
  const maxSessions = options.maxSessions ?? DEFAULT_MAX_SESSIONS;
  const sessions = new Set<Session>();
  const policy = {
    allowedOrigins: options.allowedOrigins ?? [],
    loopbackOnly: isLoopbackHost(host),
    secure: options.secure ?? false,
  };
  const app = createHttpApp({
    staticDir: options.staticDir ?? DEFAULT_STATIC,
    sessionCount: () => sessions.size,
    policy,
  });
  const limits: ConnectionLimits = {
    ...DEFAULT_CONNECTION_LIMITS,
    total: defaultTotalConnections(readFdLimit()?.soft),
    ...definedOnly(options.connections ?? {}),
  };
  const server = http.createServer(httpServerOptions(limits), app);
  limitConnections(server, limits);
  const sessionsPerAddress = options.maxSessionsPerAddress ?? DEFAULT_SESSIONS_PER_ADDRESS;
  const labsByAddress = new AddressQuota(sessionsPerAddress);
  // closeTimeout is ws's (8.19+), not yet in @types/ws: passed through a variable of the wider type.
  const wssOptions: ServerOptions & { closeTimeout: number } = {
    noServer: true,
    maxPayload: MAX_FRAME_BYTES,
    closeTimeout: options.closeTimeoutMs ?? DEFAULT_CLOSE_TIMEOUT_MS,
  };
  const wss = new WebSocketServer(wssOptions);
  const heartbeat = new Heartbeat(wss, options.heartbeatMs ?? DEFAULT_HEARTBEAT_MS);
  const ports = new LabPorts(options.labPort ?? LISTING_PORT);
  const syscallSlots = new TraceSlots(options.syscallViewMax ?? DEFAULT_SYSCALL_VIEW_MAX);
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
      // Counted until the connection is gone, not just the lab: a dropped client's queue is held until then.
      const address = addressKey(req.socket.remoteAddress);
      if (!labsByAddress.take(address)) {
        const message = `Your address already holds ${sessionsPerAddress} labs, as many as one client may open on this server. Close a lab in another tab, then reload this page.`;
        return refuseSession(
          ws,
          { type: "error", code: "address-full", message },
          1013,
          "too many labs from this address",
        );
      }
      ws.once("close", () => labsByAddress.give(address));
      opening++;
      openSession(ws, socket, address)
        .catch((err: unknown) => {
          // No free port (or descriptors) for a lab: the tab is told, the server stays up.
          const message = `A lab could not be opened: ${(err as Error).message}. Try again in a few minutes.`;
          refuseSession(ws, { type: "error", code: "internal", message }, 1011, "no lab available");
        })
        .finally(() => opening--);
    });
  });

  async function openSession(ws: WebSocket, transport: Duplex, remoteAddress: string): Promise<void> {
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
      sendBufferLimit: options.sendBufferLimit,
      labSocketLimit: options.labSocketLimit,
      syscallSlots,
      remoteAddress,
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
    limits: { ...limits, sessionsPerAddress },
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

/** A partial's keys that hold a value: an unset variable must not override a default with undefined. */
function definedOnly<T extends object>(partial: T): Partial<T> {
  return Object.fromEntries(Object.entries(partial).filter(([, value]) => value !== undefined)) as Partial<T>;
}
