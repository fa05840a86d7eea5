/** First retry waits up to this long; each failure doubles it, up to the cap. */
export const BACKOFF_BASE_MS = 500;
/** No wait between attempts is ever longer than this. */
export const BACKOFF_CAP_MS = 5_000;

/**
 * "Equal jitter" exponential backoff: half of the step is fixed, half random,
 * so that a server restart is not met by every client at the same instant,
 * and no retry comes at once. `attempt` counts from 0.
 */
export function backoffDelay(attempt: number, random: () => number = Math.random): number {
  const step = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** Math.min(attempt, 16));
  return Math.round(step / 2 + random() * (step / 2));
}
