import type { Redis } from 'ioredis';
import {
  BurstyRateLimiter,
  type RateLimiterAbstract,
  RateLimiterMemory,
  RateLimiterRedis,
  RateLimiterRes,
} from 'rate-limiter-flexible';
import type { LimitRule, RateLimiter, RateLimiters } from '../../core/ports/limiter.js';

/**
 * Limits counted by rate-limiter-flexible: fixed windows of whole seconds,
 * with a second, longer window for a burst above the rate. In memory on one
 * node; in Redis across a cluster, each key under `prefix`, and in memory on
 * this node while Redis does not answer (the library's insurance limiter), so
 * that an outage neither lifts every limit nor refuses everything.
 */
export class FlexibleLimiters implements RateLimiters {
  private constructor(
    private readonly redis: Redis | undefined,
    private readonly prefix: string,
  ) {}

  static inMemory(): FlexibleLimiters {
    return new FlexibleLimiters(undefined, '');
  }

  static inRedis(redis: Redis, prefix: string): FlexibleLimiters {
    return new FlexibleLimiters(redis, prefix);
  }

  create(name: string, rule: LimitRule): RateLimiter {
    const rate = this.window(name, rule.points, rule.durationMs);
    const extra = (rule.burst ?? 0) - rule.points;
    if (extra <= 0) return new FlexibleLimiter([rate]);
    // The burst refills at the rule's own pace: `burst` events take burst/points windows.
    const burstMs = Math.ceil((rule.burst ?? 0) / rule.points) * rule.durationMs;
    const burst = this.window(`${name}-burst`, extra, Math.max(burstMs, rule.durationMs));
    return new FlexibleLimiter([rate, burst], new BurstyRateLimiter(rate, burst));
  }

  private window(name: string, points: number, durationMs: number): RateLimiterAbstract {
    const duration = Math.max(1, Math.round(durationMs / 1000));
    const memory = new RateLimiterMemory({ points, duration, keyPrefix: name });
    if (!this.redis) return memory;
    return new RateLimiterRedis({
      storeClient: this.redis,
      keyPrefix: `${this.prefix}limit:${name}`,
      points,
      duration,
      insuranceLimiter: memory,
    });
  }
}

interface Consumer {
  consume(key: string): Promise<RateLimiterRes>;
}

class FlexibleLimiter implements RateLimiter {
  /** `windows` are all exhausted before a key waits; `consumer` counts across them. */
  constructor(
    private readonly windows: RateLimiterAbstract[],
    private readonly consumer: Consumer = windows[0] as RateLimiterAbstract,
  ) {}

  async take(key: string): Promise<number> {
    try {
      await this.consumer.consume(key);
      return 0;
    } catch (refused) {
      if (refused instanceof RateLimiterRes) return Math.max(1, refused.msBeforeNext);
      throw refused;
    }
  }

  async giveBack(key: string): Promise<void> {
    const window = this.windows[0] as RateLimiterAbstract;
    // Nothing to give back once the window has passed: a reward then would count below zero.
    if (((await window.get(key))?.consumedPoints ?? 0) > 0) await window.reward(key, 1);
  }
}
