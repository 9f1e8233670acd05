/**
 * A partner's request rate limit for a simulator: a token bucket per org or account on the
 * simulator's clock, so a test that advances the clock refills it without waiting. Each simulator
 * answers a refused request in its partner's own shape (Salesforce `REQUEST_LIMIT_EXCEEDED`,
 * Snowflake `429`); this only decides. Hand-written: a few lines on an injected clock.
 */

/** A partner's rate limit, as a simulator option. */
export interface SimulatorRateLimit {
  /** Sustained requests per second per org or account. */
  requestsPerSecond: number;
  /** How many requests may arrive at once; default one second's worth. */
  burst?: number;
}

/** The verdict on one request. */
export type RateLimitVerdict = { limited: false } | { limited: true; retryAfterSeconds: number };

/** The verdict of a simulator with no limit. */
const ADMITTED: RateLimitVerdict = Object.freeze({ limited: false });

/**
 * @example
 * ```ts
 * const limiter = new SimulatorRateLimiter({ requestsPerSecond: 100 }, () => clock.now());
 * const verdict = limiter.take(orgId);
 * if (verdict.limited) return partnerShapedLimitAnswer(verdict.retryAfterSeconds);
 * ```
 */
export class SimulatorRateLimiter {
  readonly #rate: number;
  readonly #burst: number;
  readonly #now: () => Date;
  readonly #buckets = new Map<string, { tokens: number; at: number }>();

  /** @throws TypeError naming the bad field and a valid value. */
  constructor(limit: SimulatorRateLimit, now: () => Date) {
    const { requestsPerSecond, burst = requestsPerSecond } = limit;
    if (!(Number.isFinite(requestsPerSecond) && requestsPerSecond > 0)) {
      throw new TypeError('rateLimit.requestsPerSecond must be a positive number, e.g. 100.');
    }
    if (!(Number.isFinite(burst) && burst >= 1)) {
      throw new TypeError('rateLimit.burst must be a number ≥ 1, e.g. 100 (default: one second’s worth).');
    }
    this.#rate = requestsPerSecond;
    this.#burst = burst;
    this.#now = now;
  }

  /** Takes one request from `key`'s bucket; a refused request takes nothing. */
  take(key: string): RateLimitVerdict {
    const now = this.#now().getTime();
    const bucket = this.#buckets.get(key);
    if (bucket === undefined) {
      this.#buckets.set(key, { tokens: this.#burst - 1, at: now });
      return ADMITTED;
    }
    // A clock moved backwards refills nothing.
    bucket.tokens = Math.min(this.#burst, bucket.tokens + (Math.max(0, now - bucket.at) / 1000) * this.#rate);
    bucket.at = Math.max(bucket.at, now);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return ADMITTED;
    }
    return { limited: true, retryAfterSeconds: Math.max(1, Math.ceil((1 - bucket.tokens) / this.#rate)) };
  }
}
