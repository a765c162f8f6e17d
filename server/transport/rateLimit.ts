export type RateLimit = { burst: number; perSecond: number };

/**
 * A token bucket refilled lazily from the clock, so it owns no timer: `burst` frames at once, then
 * `perSecond` on average. `take` answers whether this frame may be processed.
 */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    private readonly limit: RateLimit,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.tokens = limit.burst;
    this.last = now();
  }

  take(): boolean {
    const now = this.now();
    this.tokens = Math.min(this.limit.burst, this.tokens + ((now - this.last) / 1000) * this.limit.perSecond);
    this.last = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}

/**
 * A connection's frame budget: over the limit, the first refused frame is answered (`"refuse"`)
 * and the rest of that burst are dropped silently (`"drop"`), so a flood cannot turn into a flood
 * of replies.
 */
export class FrameBudget {
  private readonly bucket: TokenBucket;
  private limited = false;

  constructor(limit: RateLimit, now?: () => number) {
    this.bucket = new TokenBucket(limit, now);
  }

  admit(): "process" | "refuse" | "drop" {
    if (this.bucket.take()) {
      this.limited = false;
      return "process";
    }
    if (this.limited) return "drop";
    this.limited = true;
    return "refuse";
  }
}
