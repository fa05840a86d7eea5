/**
 * A token bucket per key: `rate` tokens a second, up to `burst` saved up.
 * In-process; a cluster-wide limiter would implement the same `take`.
 */
export interface RateLimiter {
  /** Takes one token for `key`: resolves 0 when allowed, else the milliseconds until one is free. */
  take(key: string): Promise<number>;
}

interface Bucket {
  tokens: number;
  updatedAt: number;
}

export class TokenBucketLimiter implements RateLimiter {
  private readonly buckets = new Map<string, Bucket>();

  /** `rate` 0 turns the limit off. `now` returns milliseconds; tests pass a fake clock. */
  constructor(
    private readonly rate: number,
    private readonly burst: number,
    private readonly now: () => number = Date.now,
  ) {}

  async take(key: string): Promise<number> {
    return this.takeNow(key);
  }

  takeNow(key: string): number {
    if (this.rate <= 0) return 0;
    const now = this.now();
    const bucket = this.buckets.get(key) ?? { tokens: this.burst, updatedAt: now };
    bucket.tokens = Math.min(
      this.burst,
      bucket.tokens + ((now - bucket.updatedAt) / 1000) * this.rate,
    );
    bucket.updatedAt = now;
    this.buckets.set(key, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return Math.ceil(((1 - bucket.tokens) / this.rate) * 1000);
  }

  /** Drops buckets that have refilled, so that memory follows active users only. */
  sweep(): void {
    const now = this.now();
    for (const [key, bucket] of this.buckets) {
      if (bucket.tokens + ((now - bucket.updatedAt) / 1000) * this.rate >= this.burst) {
        this.buckets.delete(key);
      }
    }
  }
}
