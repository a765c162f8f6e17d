/**
 * The HTTP layer's limits, so half-open connections cannot take the server off the air: a
 * connection must finish its request headers within `headersTimeoutMs` (Node answers 408 and
 * closes it; its check runs every `checkIntervalMs`), a whole request within `requestTimeoutMs`,
 * and an idle keep-alive connection is closed after `keepAliveTimeoutMs`. Beyond `perAddress`
 * connections from one remote address, or `total` in all, a new connection is closed as soon as
 * it is accepted, before Node reads a byte of it. Upgraded WebSockets count until they close.
 */
import type http from "node:http";
import type net from "node:net";
import { AddressQuota } from "./addressQuota.ts";

export type ConnectionLimits = {
  total: number;
  perAddress: number;
  headersTimeoutMs: number;
  requestTimeoutMs: number;
  keepAliveTimeoutMs: number;
};

export const DEFAULT_CONNECTION_LIMITS = {
  perAddress: 128,
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  keepAliveTimeoutMs: 5_000,
} as const;

/** Without a known fd limit: the connections a default 1024-descriptor process can still afford. */
const FALLBACK_TOTAL = 256;

/**
 * Each connection is one descriptor, and each lab holds a few more for its sockets; a quarter of
 * the process's descriptors for connections leaves the rest to the labs (and caps at 4096).
 */
export function defaultTotalConnections(fdLimit: number | undefined): number {
  if (fdLimit === undefined) return FALLBACK_TOTAL;
  return Math.max(64, Math.min(4096, Math.floor(fdLimit / 4)));
}

/** The options `http.createServer` takes for the timeouts (the check interval must be set at creation). */
export function httpServerOptions(limits: ConnectionLimits): http.ServerOptions {
  return {
    headersTimeout: limits.headersTimeoutMs,
    requestTimeout: Math.max(limits.requestTimeoutMs, limits.headersTimeoutMs),
    connectionsCheckingInterval: Math.max(50, Math.min(1000, Math.floor(limits.headersTimeoutMs / 4))),
  };
}

/** Applies the caps to a server created with `httpServerOptions`; returns the per-address counts. */
export function limitConnections(
  server: http.Server,
  limits: ConnectionLimits,
  hooks: {
    /** Addresses the per-address cap does not apply to (trusted proxies: a class arrives from each). */
    exempt?: (address: string) => boolean;
    onRefused?: () => void;
  } = {},
): AddressQuota {
  server.keepAliveTimeout = limits.keepAliveTimeoutMs;
  // net.Server closes a connection accepted beyond this at once (and counts upgraded ones too).
  server.maxConnections = limits.total;
  const quota = new AddressQuota(limits.perAddress);
  // Prepended, so a refused connection is destroyed before the HTTP parser is attached to it.
  server.prependListener("connection", (socket: net.Socket) => {
    const address = socket.remoteAddress ?? "?";
    socket.on("error", () => {});
    if (hooks.exempt?.(address)) return;
    if (!quota.take(address)) {
      hooks.onRefused?.();
      socket.destroy();
      return;
    }
    socket.once("close", () => quota.give(address));
  });
  return quota;
}
