/** A count limit: `points` events per `durationMs`, plus `burst` more at once from rest. */
export interface LimitRule {
  points: number;
  durationMs: number;
  /** Events allowed at once from rest, above `points` (the message rate's MESSAGE_BURST). */
  burst?: number;
}

/**
 * Counts events per key against one rule. Adapters count in memory on one
 * node, or in Redis across every node of a cluster.
 */
export interface RateLimiter {
  /** Counts one event for `key`: resolves 0 when within the limit, else the ms until it would be. */
  take(key: string): Promise<number>;
  /**
   * Takes back one event counted for `key`, for an attempt counted before its
   * outcome was known that turned out not to count (a login whose password
   * was right). On a rule with a burst, the sustained window's count.
   */
  giveBack(key: string): Promise<void>;
}

/** Makes one limiter per named rule; the name keeps each rule's counts apart. */
export interface RateLimiters {
  create(name: string, rule: LimitRule): RateLimiter;
}
