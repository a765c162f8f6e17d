/**
 * Who may open a lab's WebSocket. A browser always sends Origin on a WebSocket upgrade, and any
 * page may try to open one to 127.0.0.1: without this check a foreign site could drive a learner's
 * lab (cross-site WebSocket hijacking). Same origin is allowed, plus the listed origins.
 */
import { isLoopbackHost } from "../config.ts";

export type OriginPolicy = {
  /** Extra origins allowed besides the page's own, e.g. "http://127.0.0.1:5173". */
  allowedOrigins: readonly string[];
  /**
   * The app listens on loopback only: then the Host header must name this machine too (or an
   * allowed origin's host). A page whose DNS name is rebound to 127.0.0.1 is same-origin with
   * itself, so only the Host check keeps it out.
   */
  loopbackOnly: boolean;
  /**
   * The page is served over https (by a TLS proxy in front, HTTPS=1): its own origin is https://.
   * Otherwise it is http://, and an https:// Origin on the same host and port is another origin.
   */
  secure?: boolean;
};

export type UpgradeVerdict = { ok: true } | { ok: false; reason: string };

export function checkUpgrade(
  headers: { origin?: string; host?: string },
  policy: OriginPolicy,
): UpgradeVerdict {
  const hostVerdict = checkHost(headers.host, policy);
  if (!hostVerdict.ok) return hostVerdict;
  const host = hostVerdict.host;
  const allowed = allowedOrigins(policy);
  // Browsers always send Origin; a client without one is not a page another site can steer.
  if (headers.origin === undefined) return { ok: true };
  const origin = originOf(headers.origin);
  if (!origin) return { ok: false, reason: `Origin ${headers.origin.slice(0, 100)} is not a web origin` };
  // Scheme, host and port: the page's own origin is this scheme on the Host the browser asked for.
  const scheme = policy.secure ? "https:" : "http:";
  if (origin.protocol === scheme && origin.host === host.host) return { ok: true };
  if (allowed.some((o) => o.origin === origin.origin)) return { ok: true };
  return { ok: false, reason: `Origin ${origin.origin} is not allowed` };
}

/**
 * The Host rule alone, for every request that answers with something of this server's (the
 * WebSocket upgrade and /healthz): a page on another name rebound to 127.0.0.1 cannot read it.
 */
export function checkHost(
  hostHeader: string | undefined,
  policy: OriginPolicy,
): { ok: true; host: URL } | { ok: false; reason: string } {
  const host = hostOf(`http://${hostHeader ?? ""}`);
  if (!host) return { ok: false, reason: "missing or malformed Host header" };
  const allowed = allowedOrigins(policy);
  if (policy.loopbackOnly && !isLoopbackHost(host.hostname) && !allowed.some((o) => o.host === host.host)) {
    return { ok: false, reason: `Host ${host.host} is not this machine` };
  }
  return { ok: true, host };
}

function allowedOrigins(policy: OriginPolicy): URL[] {
  return policy.allowedOrigins.map((origin) => originOf(origin)).filter((o): o is URL => o !== undefined);
}

function hostOf(text: string): URL | undefined {
  const url = parseUrl(text);
  return url && url.host !== "" && url.pathname === "/" && !url.username ? url : undefined;
}

/** Only http(s) origins: "null" (sandboxed frames, file: pages) and other schemes never match. */
function originOf(text: string): URL | undefined {
  const url = parseUrl(text);
  return url && (url.protocol === "http:" || url.protocol === "https:") && url.host !== "" ? url : undefined;
}

/** URL.parse needs Node 22; the app supports Node 20. */
function parseUrl(text: string): URL | undefined {
  try {
    return new URL(text);
  } catch {
    return undefined;
  }
}
