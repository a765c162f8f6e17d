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
import { labSocketBudget, labSocketTotal, MIN_LAB_SHARE } from "./lab/socketBudget.ts";
import { Heartbeat } from "./transport/heartbeat.ts";
import { createHttpApp } from "./httpApp.ts";
import { LabPorts, LISTING_PORT } from "./kernelTruth/labPorts.ts";
import { checkUpgrade } from "./transport/originPolicy.ts";
import { LearnerIdentity } from "./transport/learnerIdentity.ts";
import { LabMetrics } from "./transport/metrics.ts";
import {
  isTrustedProxy,
  learnerAddress,
  NO_TRUSTED_PROXIES,
  type TrustedProxies,
} from "./transport/trustedProxy.ts";
import { sharedVmPool } from "./realKernel/vmPool.ts";
import type { EngineKind } from "./engine/engine.ts";
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
  /**
   * Labs one address (an IPv6 /64) may hold at once, over all its learners: the ceiling a class
   * behind one NAT address shares. One more is told why and closed with 1013.
   */
  maxSessionsPerAddress?: number;
  /**
   * Labs one learner may hold at once: one browser (the signed cookie the server issues), or one
   * address for a client that brings no cookie (a script).
   */
  maxSessionsPerLearner?: number;
  /** Proxies whose X-Forwarded-For / Forwarded is believed (TRUST_PROXY); none by default. */
  trustedProxies?: TrustedProxies;
  /** The key learner cookies are signed with (LEARNER_SECRET); drawn at start when unset. */
  learnerSecret?: string;
  /** The bearer token /metrics asks for (METRICS_TOKEN); without one, /metrics is not served. */
  metricsToken?: string;
  /** The sockets all labs together may hold (default: what the descriptor limit leaves, see socketBudget.ts). */
  labSocketBudget?: number;
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
  limits: ConnectionLimits & { sessionsPerAddress: number; sessionsPerLearner: number };
  /** Tells every session the server is stopping, closes every socket, then stops listening. */
  close(): Promise<void>;
  /**
   * Stops taking labs at once (/readyz turns 503, a new lab is refused with the reason), tells
   * the running labs how long they have, and closes (as `close`) when the last one has ended or
   * `seconds` have passed, whichever is first.
   */
  drain(seconds: number): Promise<void>;
  /** Whether the app takes new labs, and why not: what /readyz answers. */
  readiness(): Readiness;
  metrics: LabMetrics;
};

export type Readiness = { ready: true } | { ready: false; reason: string };

const SHUTDOWN_MESSAGE = "The lab server is shutting down; your lab was closed.";
const DRAINING_REFUSAL =
  "This lab server is being replaced and takes no new labs. Reload the page in a moment to get a lab on another one.";
/** While draining, running labs are told the time left this often (and once at the start). */
const DRAIN_NOTICE_EVERY_MS = 30_000;
export const DEFAULT_SESSIONS_PER_LEARNER = 8;

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
  const trusted = options.trustedProxies ?? NO_TRUSTED_PROXIES;
  const identity = new LearnerIdentity(options.learnerSecret);
  const vmPool = sharedVmPool;
  const metrics = new LabMetrics({
    sessions: () => sessions.size,
    labsByEngine: () => {
      const counts = new Map<EngineKind, number>();
      for (const session of sessions)
        counts.set(session.engineKind, (counts.get(session.engineKind) ?? 0) + 1);
      return counts;
    },
    vms: () => ({ active: vmPool.active, max: vmPool.max, waiting: vmPool.waiting }),
  });
  const readiness = (): Readiness => {
    if (closing || draining) return { ready: false, reason: "draining" };
    if (sessions.size + opening >= maxSessions) return { ready: false, reason: "no session slot free" };
    if (!labSocketBudget.roomForLab()) return { ready: false, reason: "no socket share free" };
    if (vmPool.active >= vmPool.max) return { ready: false, reason: "no VM slot free" };
    return { ready: true };
  };
  const app = createHttpApp({
    staticDir: options.staticDir ?? DEFAULT_STATIC,
    sessionCount: () => sessions.size,
    policy,
    readiness,
    identity,
    metrics: options.metricsToken ? { registry: metrics, token: options.metricsToken } : undefined,
  });
  const limits: ConnectionLimits = {
    ...DEFAULT_CONNECTION_LIMITS,
    total: defaultTotalConnections(readFdLimit()?.soft),
    ...definedOnly(options.connections ?? {}),
  };
  const server = http.createServer(httpServerOptions(limits), app);
  limitConnections(server, limits, {
    // Every learner behind a trusted proxy arrives from its address: only the total bounds it.
    exempt: (address) => isTrustedProxy(address, trusted),
    onRefused: () => metrics.drop("connection-cap"),
  });
  // What the descriptor limit leaves the labs' sockets once the connections have their cap.
  labSocketBudget.total = options.labSocketBudget ?? labSocketTotal(readFdLimit()?.soft, limits.total);
  const sessionsPerAddress = options.maxSessionsPerAddress ?? DEFAULT_SESSIONS_PER_ADDRESS;
  const sessionsPerLearner = options.maxSessionsPerLearner ?? DEFAULT_SESSIONS_PER_LEARNER;
  const labsByAddress = new AddressQuota(sessionsPerAddress);
  const labsByLearner = new AddressQuota(sessionsPerLearner);
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
  let draining = false;
  // A browser that came without a valid learner cookie gets one with the upgrade's answer.
  wss.on("headers", (headers, req) => {
    if (!identity.idFrom(req.headers.cookie))
      headers.push(`Set-Cookie: ${identity.setCookie(identity.issue(), policy.secure)}`);
  });

  server.on("upgrade", (req, socket, head) => {
    socket.on("error", () => socket.destroy());
    const path = new URL(req.url ?? "/", "http://x").pathname;
    if (path !== WS_PATH) return refuseUpgrade(socket, 404, "Not Found");
    if (closing) {
      metrics.drop("draining");
      return refuseUpgrade(socket, 503, "Service Unavailable");
    }
    const verdict = checkUpgrade(req.headers, policy);
    if (!verdict.ok) {
      metrics.drop("forbidden-origin");
      return refuseUpgrade(socket, 403, "Forbidden");
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      // Deliberately empty: ws closes the connection itself after an error (a bad frame, a reset)
      // and the session's 'close' handler cleans up; unheard, the error would crash the server.
      ws.on("error", () => {});
      heartbeat.watch(ws);
      if (draining) {
        metrics.drop("draining");
        return refuseSession(
          ws,
          { type: "error", code: "shutdown", message: DRAINING_REFUSAL },
          1013,
          "server draining",
        );
      }
      if (sessions.size + opening >= maxSessions) {
        metrics.drop("full");
        const message = `This lab server is full: it holds ${maxSessions} labs at once. Try again in a few minutes.`;
        return refuseSession(ws, { type: "error", code: "full", message }, 1013, "try again later");
      }
      if (!labSocketBudget.roomForLab()) {
        metrics.drop("socket-budget");
        const message = `This lab server is full: its labs hold the ${labSocketBudget.total} sockets its file descriptors allow, and another lab could not get the ${MIN_LAB_SHARE} it needs. Try again in a few minutes.`;
        return refuseSession(ws, { type: "error", code: "full", message }, 1013, "try again later");
      }
      // Counted until the connection is gone, not just the lab: a dropped client's queue is held until then.
      const address = addressKey(learnerAddress(req.socket.remoteAddress, req.headers, trusted));
      const browser = identity.idFrom(req.headers.cookie);
      const learner = browser === undefined ? address : `browser:${browser}`;
      if (!labsByLearner.take(learner)) {
        metrics.drop("learner-full");
        const message = `You already hold ${sessionsPerLearner} labs, as many as one learner may open on this server. Close a lab in another tab, then reload this page.`;
        return refuseSession(
          ws,
          { type: "error", code: "address-full", message },
          1013,
          "too many labs for this learner",
        );
      }
      if (!labsByAddress.take(address)) {
        labsByLearner.give(learner);
        metrics.drop("address-full");
        const message = `Your address already holds ${sessionsPerAddress} labs, as many as the learners behind one address may open on this server (MAX_SESSIONS_PER_ADDRESS). Close a lab in another tab, then reload this page.`;
        return refuseSession(
          ws,
          { type: "error", code: "address-full", message },
          1013,
          "too many labs from this address",
        );
      }
      ws.once("close", () => {
        labsByAddress.give(address);
        labsByLearner.give(learner);
      });
      opening++;
      // "Move this lab to a free port" (the lab's port held by another program) reconnects with ?port=free.
      const freePort = new URL(req.url ?? "/", "http://x").searchParams.get("port") === "free";
      openSession(ws, socket, learner, freePort)
        .catch((err: unknown) => {
          // No free port (or descriptors) for a lab: the tab is told, the server stays up.
          metrics.drop("no-lab");
          const message = `A lab could not be opened: ${(err as Error).message}. Try again in a few minutes.`;
          refuseSession(ws, { type: "error", code: "internal", message }, 1011, "no lab available");
        })
        .finally(() => opening--);
    });
  });

  /** `learner` keys the learner's share of VMs: a browser's id, or its address without one. */
  async function openSession(
    ws: WebSocket,
    transport: Duplex,
    learner: string,
    freePort = false,
  ): Promise<void> {
    // Frames sent before the lab has its port are kept and handed to the session in order.
    const early: Array<[RawData, boolean]> = [];
    const keep = (data: RawData, isBinary: boolean) => early.push([data, isBinary]);
    ws.on("message", keep);
    const labPort = await ports.acquire(freePort);
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
      remoteAddress: learner,
      idleTimeoutMs: options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS,
      transport,
      onDrop: (reason) => metrics.drop(reason),
      onStepLatency: (engine, seconds) => metrics.observeStep(engine, seconds),
      onClose: () => {
        sessions.delete(session);
        ports.release(labPort);
      },
    });
    sessions.add(session);
    for (const [data, isBinary] of early) ws.emit("message", data, isBinary);
    if (draining) session.send(drainingNotice());
  }

  let drainEndsAt = 0;
  function drainingNotice() {
    const secondsLeft = Math.max(0, Math.round((drainEndsAt - Date.now()) / 1000));
    return {
      type: "server.draining" as const,
      secondsLeft,
      message: `This lab server is being replaced: your lab stays open for ${secondsLeft} s more, time to finish what you are doing. Then reload the page to get a lab on another server.`,
    };
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
    limits: { ...limits, sessionsPerAddress, sessionsPerLearner },
    metrics,
    readiness,
    async drain(seconds) {
      if (draining || closing) return;
      draining = true;
      drainEndsAt = Date.now() + seconds * 1000;
      const tell = () => {
        const notice = drainingNotice();
        for (const session of sessions) session.send(notice);
      };
      tell();
      const every = setInterval(tell, DRAIN_NOTICE_EVERY_MS);
      let poll: NodeJS.Timeout | undefined;
      // Checked on a short timer rather than hooked into each session's close: a lab ends rarely.
      const allEnded = new Promise<void>((resolve) => {
        const check = () => (sessions.size + opening === 0 ? resolve() : undefined);
        check();
        poll = setInterval(check, 100);
      });
      await settleWithin(allEnded, seconds * 1000);
      clearInterval(every);
      clearInterval(poll);
      await close();
    },
    close,
  };

  async function close(): Promise<void> {
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
  }
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
