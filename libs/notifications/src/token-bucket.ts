export interface RateLimit {
  /** Emails allowed per window, also the largest burst. */
  max: number;
  windowMs: number;
}

export const DEFAULT_RATE_LIMIT: RateLimit = { max: 200, windowMs: 10 * 60_000 };

/**
 * Smooth token bucket: `max` tokens, refilled continuously at max/window. A caller with no token
 * waits; nothing is ever dropped, the outbox simply drains more slowly.
 */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    private readonly limit: RateLimit,
    private readonly now: () => number = Date.now,
  ) {
    this.tokens = limit.max;
    this.last = now();
  }

  private refill(): void {
    const t = this.now();
    this.tokens = Math.min(
      this.limit.max,
      this.tokens + ((t - this.last) * this.limit.max) / this.limit.windowMs,
    );
    this.last = t;
  }

  /** Whole tokens available now. */
  available(): number {
    this.refill();
    return Math.floor(this.tokens);
  }

  /** Takes a token if one is there; otherwise returns how long until one is. */
  tryTake(): { ok: true } | { ok: false; waitMs: number } {
    this.refill();
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return { ok: true };
    }
    return { ok: false, waitMs: Math.ceil(((1 - this.tokens) * this.limit.windowMs) / this.limit.max) };
  }
}
