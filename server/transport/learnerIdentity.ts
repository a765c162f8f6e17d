/**
 * A browser's identity, so a class behind one NAT address is not one learner: the server issues
 * each browser a random id in a cookie, signed with HMAC-SHA256 so that only ids this server (or a
 * replica given the same LEARNER_SECRET) issued are believed. It buys fairness among honest
 * learners, not protection: anyone can fetch fresh cookies, which is why the per-address ceiling
 * still bounds what one address holds in all.
 */
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";

export const LEARNER_COOKIE = "ksl_learner";
/** A school term: the id only has to outlive a course, and a cleared cookie costs nothing. */
const MAX_AGE_SECONDS = 180 * 24 * 3600;
/** The shortest secret accepted from the environment: HMAC-SHA256's own block of strength. */
export const MIN_SECRET_LENGTH = 32;

export class LearnerIdentity {
  private readonly secret: Buffer;

  /** Without a secret (LEARNER_SECRET unset) one is drawn at start: cookies then last one process. */
  constructor(secret?: string) {
    this.secret = secret ? Buffer.from(secret) : randomBytes(32);
  }

  /** A fresh signed value: `<id>.<signature>`, both base64url. */
  issue(): string {
    const id = randomBytes(16).toString("base64url");
    return `${id}.${this.sign(id)}`;
  }

  /** The id a Cookie header carries, if this server signed it; a forged or mangled one is no id. */
  idFrom(cookieHeader: string | undefined): string | undefined {
    const value = cookieValue(cookieHeader, LEARNER_COOKIE);
    if (!value) return undefined;
    const [id, signature, extra] = value.split(".");
    if (!id || !signature || extra !== undefined || !/^[\w-]{22}$/.test(id)) return undefined;
    const expected = Buffer.from(this.sign(id));
    const given = Buffer.from(signature);
    return given.length === expected.length && timingSafeEqual(given, expected) ? id : undefined;
  }

  /** The Set-Cookie header value: not readable by scripts, sent on the page's own WebSocket. */
  setCookie(value: string, secure: boolean): string {
    const attributes = [`Max-Age=${MAX_AGE_SECONDS}`, "Path=/", "HttpOnly", "SameSite=Lax"];
    if (secure) attributes.push("Secure");
    return [`${LEARNER_COOKIE}=${value}`, ...attributes].join("; ");
  }

  private sign(id: string): string {
    return createHmac("sha256", this.secret).update(id).digest("base64url");
  }
}

function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const pair of (header ?? "").split(";")) {
    const eq = pair.indexOf("=");
    if (eq !== -1 && pair.slice(0, eq).trim() === name) return pair.slice(eq + 1).trim();
  }
  return undefined;
}
