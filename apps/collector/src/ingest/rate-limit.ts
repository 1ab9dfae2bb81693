/** A token bucket's shape: `burst` tokens at most, refilled at `perSecond`. */
export interface BucketLimit {
  burst: number;
  perSecond: number;
}

interface Bucket {
  tokens: number;
  at: number;
}

/**
 * In-memory token buckets keyed by a string (a visitor id, an IP). The map is bounded: when it
 * is full the oldest-inserted half is dropped, which can only ever give a flooding key a fresh
 * bucket, never block a well-behaved one — scoring caps are the second line against pumping.
 */
export class RateLimiter {
  readonly #limit: BucketLimit;
  readonly #maxKeys: number;
  #buckets = new Map<string, Bucket>();

  constructor(limit: BucketLimit, maxKeys = 100_000) {
    this.#limit = limit;
    this.#maxKeys = maxKeys;
  }

  /**
   * Takes `cost` tokens for `key` at time `now` (ms). Returns 0 when allowed, otherwise the
   * seconds to wait before the cost fits (for Retry-After); nothing is taken then.
   */
  take(key: string, cost: number, now: number): number {
    const { burst, perSecond } = this.#limit;
    let bucket = this.#buckets.get(key);
    if (!bucket) {
      if (this.#buckets.size >= this.#maxKeys) this.#evict();
      bucket = { tokens: burst, at: now };
      this.#buckets.set(key, bucket);
    }
    const elapsed = Math.max(0, now - bucket.at) / 1000;
    bucket.tokens = Math.min(burst, bucket.tokens + elapsed * perSecond);
    bucket.at = Math.max(bucket.at, now);
    if (bucket.tokens >= cost) {
      bucket.tokens -= cost;
      return 0;
    }
    const missing = Math.min(cost, burst) - bucket.tokens;
    return Math.max(1, Math.ceil(missing / perSecond));
  }

  /** Keys currently tracked (for tests of the bound). */
  get size(): number {
    return this.#buckets.size;
  }

  #evict(): void {
    let drop = Math.floor(this.#buckets.size / 2);
    for (const key of this.#buckets.keys()) {
      if (drop-- <= 0) break;
      this.#buckets.delete(key);
    }
  }
}
