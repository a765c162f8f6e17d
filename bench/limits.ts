import type { AppOptions } from "../server/app.ts";

/**
 * The hardening limits (session cap, per-connection frame rate) raised far above what the bench
 * asks of them, so the figures measure the lab rather than the throttle. The defaults (500
 * sessions, 50 frames at once / 20 a second) would refuse P1's back-to-back lessons outright.
 */
export const UNTHROTTLED_OPTIONS = {
  maxSessions: 2000,
  // Every bench learner connects from 127.0.0.1, so the per-address caps are lifted with the rest.
  maxSessionsPerAddress: 2000,
  maxSessionsPerLearner: 2000,
  connections: { perAddress: 4000, total: 4000 },
  // A classroom session loops the published lesson, whose client leaks a socket per run.
  labSocketLimit: 100_000,
  rateLimit: { burst: 1_000_000, perSecond: 1_000_000 },
} satisfies AppOptions;

/** The same for an app child, through the variables server/config.ts reads. */
export const UNTHROTTLED_ENV = {
  MAX_SESSIONS: String(UNTHROTTLED_OPTIONS.maxSessions),
  RATE_LIMIT_BURST: String(UNTHROTTLED_OPTIONS.rateLimit.burst),
  RATE_LIMIT_PER_SECOND: String(UNTHROTTLED_OPTIONS.rateLimit.perSecond),
  MAX_SESSIONS_PER_ADDRESS: String(UNTHROTTLED_OPTIONS.maxSessionsPerAddress),
  MAX_SESSIONS_PER_LEARNER: String(UNTHROTTLED_OPTIONS.maxSessionsPerLearner),
  MAX_CONNECTIONS_PER_ADDRESS: String(UNTHROTTLED_OPTIONS.connections.perAddress),
  MAX_CONNECTIONS: String(UNTHROTTLED_OPTIONS.connections.total),
  LAB_SOCKET_LIMIT: String(UNTHROTTLED_OPTIONS.labSocketLimit),
};
