import { Redis, type RedisOptions } from 'ioredis';
import type { Logger } from '../../logger.js';

/** How long a Redis command may take before its caller hears that Redis is unavailable, in ms. */
export const REDIS_COMMAND_TIMEOUT_MS = 1_000;
/** How long a node waits for Redis at start before it gives up, in ms. */
const START_TIMEOUT_MS = 10_000;

/**
 * Opens one Redis connection with the settings every Confab connection shares:
 * commands fail at once while the connection is down (no offline queue that
 * would hold a send for as long as the outage lasts) or after 1 s without an
 * answer, and the connection comes back on its own, retrying at most every
 * second. Commands issued in one event-loop turn go out as one pipeline
 * (ioredis' auto-pipelining: every send publishes and counts its rate, so a
 * busy node saves a write per command; subscribe commands are never
 * pipelined). An outage is logged once when it starts and once when it ends.
 */
export async function openRedis(
  url: string,
  name: string,
  log: Logger,
  options: RedisOptions = {},
): Promise<Redis> {
  const redis = new Redis(url, {
    connectionName: name,
    lazyConnect: true,
    enableOfflineQueue: false,
    commandTimeout: REDIS_COMMAND_TIMEOUT_MS,
    connectTimeout: 2_000,
    maxRetriesPerRequest: 1,
    retryStrategy: (attempt) => Math.min(attempt * 100, 1_000),
    enableAutoPipelining: true,
    ...options,
  });
  let down = false;
  const lost = (err?: unknown) => {
    if (down) return;
    down = true;
    log.warn({ err, connection: name }, 'redis connection lost; reconnecting');
  };
  redis.on('error', lost);
  redis.on('close', () => lost());
  redis.on('ready', () => {
    if (down) log.info({ connection: name }, 'redis connection ready');
    down = false;
  });
  const ready = new Promise<void>((resolve) => redis.once('ready', () => resolve()));
  redis.connect().catch(() => {
    // Refused at first: the retry strategy keeps trying until the deadline below.
  });
  // Say what the node waits for, once, if Redis does not answer at once.
  const waiting = setTimeout(() => {
    log.warn(
      { connection: name, redis: where(url), timeoutSeconds: START_TIMEOUT_MS / 1000 },
      'waiting for Redis (REDIS_URL) to answer',
    );
  }, 1_000);
  const started = await Promise.race([ready.then(() => true), delay(START_TIMEOUT_MS, false)]);
  clearTimeout(waiting);
  if (!started) {
    redis.disconnect();
    throw new Error(
      `Redis at REDIS_URL (${where(url)}) did not answer within ${START_TIMEOUT_MS / 1000} s; is it running?`,
    );
  }
  return redis;
}

/** Closes politely if Redis answers within a second, else drops the socket. */
export async function closeRedis(redis: Redis): Promise<void> {
  // A closing connection is no outage: no more 'lost' lines, resubscriptions or refreshes.
  redis.removeAllListeners('close');
  redis.removeAllListeners('ready');
  if (redis.status === 'ready') {
    await Promise.race([
      redis.quit().catch(() => undefined),
      delay(REDIS_COMMAND_TIMEOUT_MS, undefined),
    ]);
  }
  redis.disconnect();
}

/** Host and port only: a URL's password never reaches a log. */
function where(url: string): string {
  const { hostname, port } = new URL(url);
  return `${hostname}:${port || 6379}`;
}

function delay<T>(ms: number, value: T): Promise<T> {
  return new Promise((resolve) => setTimeout(() => resolve(value), ms).unref());
}
