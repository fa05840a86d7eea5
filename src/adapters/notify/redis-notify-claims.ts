import type { Redis } from 'ioredis';
import type { NotifyClaims } from '../../core/ports/notifier.js';

/** How long a user's marks outlive their last change: a user away for a month may be told again. */
const CLAIM_TTL_SECONDS = 30 * 24 * 3600;

/**
 * The claims shared by a cluster: a hash of notified rooms per user
 * (HSETNX: one node wins), and the time of the user's last connection.
 * The Redis connection is the caller's.
 */
export class RedisNotifyClaims implements NotifyClaims {
  /** `seenTtlSeconds` must outlast NOTIFY_AFTER: a connection is looked up that long after. */
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly seenTtlSeconds: number,
  ) {}

  async claim(userId: string, roomId: string): Promise<boolean> {
    const key = this.notifiedKey(userId);
    const [[, won] = []] = (await this.redis
      .multi()
      .hsetnx(key, roomId, '1')
      .expire(key, CLAIM_TTL_SECONDS)
      .exec()) as Array<[Error | null, unknown]>;
    return won === 1;
  }

  async release(userId: string, roomId: string): Promise<void> {
    await this.redis.hdel(this.notifiedKey(userId), roomId);
  }

  async connected(userId: string, at: number): Promise<void> {
    await this.redis
      .multi()
      .del(this.notifiedKey(userId))
      .set(this.seenKey(userId), String(at), 'EX', this.seenTtlSeconds)
      .exec();
  }

  async lastConnected(userId: string): Promise<number | undefined> {
    const value = await this.redis.get(this.seenKey(userId));
    return value === null ? undefined : Number(value);
  }

  async close(): Promise<void> {
    // The connection is closed by whoever opened it.
  }

  private notifiedKey(userId: string): string {
    return `${this.prefix}notified:${userId}`;
  }

  private seenKey(userId: string): string {
    return `${this.prefix}seen:${userId}`;
  }
}
