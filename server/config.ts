/**
 * The settings a teacher can give the app through the environment, read and checked in one place:
 * a wrong value stops the start with a message naming the variable, never a silent default.
 */
import type { AppOptions } from "./app.ts";
import { DEFAULT_SEND_BUFFER_LIMIT } from "./transport/backPressure.ts";
import { DEFAULT_CONNECTION_LIMITS } from "./transport/connectionLimits.ts";
import { DEFAULT_LAB_SOCKET_LIMIT } from "./lab/socketLimit.ts";
import { MIN_SECRET_LENGTH } from "./transport/learnerIdentity.ts";
import { parseTrustedProxies, type TrustedProxies } from "./transport/trustedProxy.ts";
import { DEFAULT_SYSCALL_VIEW_MAX } from "./syscalls/traceSlots.ts";

export const DEFAULT_MAX_SESSIONS = 500;
export const DEFAULT_IDLE_TIMEOUT_MS = 30 * 60_000;
export const DEFAULT_HEARTBEAT_MS = 15_000;
/**
 * The ceiling for all the learners behind one address (an IPv6 /64): a class of 40 behind a
 * school's NAT, each with up to 4 tabs, fits. One learner (one browser) holds at most
 * DEFAULT_SESSIONS_PER_LEARNER (app.ts) of it.
 */
export const DEFAULT_SESSIONS_PER_ADDRESS = 160;
/** Unset: SIGTERM closes every lab at once, within the 5 s a plain supervisor allows. */
export const DEFAULT_DRAIN_SECONDS = 0;
/** A learner clicks a few times a second at most; a burst of 50 leaves room for key repeat. */
export const DEFAULT_RATE_LIMIT = { burst: 50, perSecond: 20 } as const;

export type Config = AppOptions & { host: string; port: number; drainSeconds: number };

export class ConfigError extends Error {}

export function readConfig(env: NodeJS.ProcessEnv): { config: Config; warnings: string[] } {
  const host = env.HOST ?? "127.0.0.1";
  const warnings = isLoopbackHost(host)
    ? []
    : [`warning: HOST=${host} is not loopback: anyone who can reach it can drive a lab on this machine`];
  const config: Config = {
    host,
    port: integer(env, "PORT", 3000, 0, 65535),
    labPort: env.LAB_PORT === undefined ? undefined : integer(env, "LAB_PORT", 0, 0, 65535),
    allowedOrigins: list(env.ALLOWED_ORIGINS),
    staticDir: env.STATIC_DIR,
    maxSessions: integer(env, "MAX_SESSIONS", DEFAULT_MAX_SESSIONS, 1, 100_000),
    idleTimeoutMs: integer(env, "IDLE_TIMEOUT_MS", DEFAULT_IDLE_TIMEOUT_MS, 1000, 2 ** 31 - 1),
    heartbeatMs: integer(env, "HEARTBEAT_MS", DEFAULT_HEARTBEAT_MS, 100, 2 ** 31 - 1),
    rateLimit: {
      burst: integer(env, "RATE_LIMIT_BURST", DEFAULT_RATE_LIMIT.burst, 1, 1_000_000),
      perSecond: integer(env, "RATE_LIMIT_PER_SECOND", DEFAULT_RATE_LIMIT.perSecond, 1, 1_000_000),
    },
    sendBufferLimit: integer(env, "WS_SEND_BUFFER_LIMIT", DEFAULT_SEND_BUFFER_LIMIT, 64 * 1024, 2 ** 31 - 1),
    secure: flag(env, "HTTPS"),
    labSocketLimit: integer(env, "LAB_SOCKET_LIMIT", DEFAULT_LAB_SOCKET_LIMIT, 4, 100_000),
    syscallViewMax: integer(env, "SYSCALL_VIEW_MAX", DEFAULT_SYSCALL_VIEW_MAX, 0, 1000),
    maxSessionsPerAddress: integer(env, "MAX_SESSIONS_PER_ADDRESS", DEFAULT_SESSIONS_PER_ADDRESS, 1, 100_000),
    maxSessionsPerLearner:
      env.MAX_SESSIONS_PER_LEARNER === undefined
        ? undefined
        : integer(env, "MAX_SESSIONS_PER_LEARNER", 0, 1, 100_000),
    trustedProxies: trustedProxies(env.TRUST_PROXY),
    learnerSecret: secret(env, "LEARNER_SECRET"),
    metricsToken: secret(env, "METRICS_TOKEN"),
    drainSeconds: integer(env, "DRAIN_SECONDS", DEFAULT_DRAIN_SECONDS, 0, 3600),
    connections: {
      // Unset: a quarter of the process's descriptor limit, at most 4096 (see connectionLimits.ts).
      total: env.MAX_CONNECTIONS ? integer(env, "MAX_CONNECTIONS", 0, 1, 1_000_000) : undefined,
      perAddress: integer(
        env,
        "MAX_CONNECTIONS_PER_ADDRESS",
        DEFAULT_CONNECTION_LIMITS.perAddress,
        1,
        1_000_000,
      ),
      headersTimeoutMs: integer(
        env,
        "HEADERS_TIMEOUT_MS",
        DEFAULT_CONNECTION_LIMITS.headersTimeoutMs,
        100,
        2 ** 31 - 1,
      ),
      requestTimeoutMs: integer(
        env,
        "REQUEST_TIMEOUT_MS",
        DEFAULT_CONNECTION_LIMITS.requestTimeoutMs,
        100,
        2 ** 31 - 1,
      ),
      keepAliveTimeoutMs: integer(
        env,
        "KEEP_ALIVE_TIMEOUT_MS",
        DEFAULT_CONNECTION_LIMITS.keepAliveTimeoutMs,
        100,
        2 ** 31 - 1,
      ),
    },
  };
  return { config, warnings };
}

/** 127.0.0.0/8, ::1 and localhost: names that reach this machine only. */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[(.*)\]$/, "$1").toLowerCase();
  return bare === "localhost" || bare === "::1" || /^127(\.\d{1,3}){3}$/.test(bare);
}

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(`${name}=${raw} is not a whole number from ${min} to ${max}`);
  }
  return value;
}

/**
 * 1/true or 0/false (unset: false), as shells and as Kubernetes manifests write them; anything else
 * stops the start like a wrong number does.
 */
function flag(env: NodeJS.ProcessEnv, name: string): boolean {
  const raw = env[name];
  const value = raw?.trim().toLowerCase();
  if (value === undefined || value === "" || value === "0" || value === "false") return false;
  if (value === "1" || value === "true") return true;
  throw new ConfigError(`${name}=${raw} is not 1, 0, true or false`);
}

function trustedProxies(raw: string | undefined): TrustedProxies {
  try {
    return parseTrustedProxies(raw);
  } catch (err) {
    throw new ConfigError(`TRUST_PROXY=${raw}: ${(err as Error).message}`);
  }
}

/** A secret shorter than HMAC's strength would be guessable; its value is never echoed. */
function secret(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const raw = env[name];
  if (raw === undefined || raw === "") return undefined;
  if (raw.length < MIN_SECRET_LENGTH) {
    throw new ConfigError(`${name} is ${raw.length} characters; it needs at least ${MIN_SECRET_LENGTH}`);
  }
  return raw;
}

function list(raw: string | undefined): string[] {
  return (raw ?? "")
    .split(",")
    .map((item) => item.trim())
    .filter(Boolean);
}
