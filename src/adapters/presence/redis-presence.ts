import type { Redis, Result } from 'ioredis';
import type { Presence } from '../../core/ports/presence.js';
import type { Logger } from '../../logger.js';
import { closeRedis, openRedis } from '../redis/redis-client.js';

// Each user has a sorted set `<prefix>presence:user:<id>` of `<nodeId>:<connectionId>`,
// each scored by the time (Redis's clock, in ms) at which it expires unless refreshed.
// The scripts keep each step atomic, so that two nodes never both see a first connection.

/** Adds or refreshes members (ARGV[2..]) for ARGV[1] ms; 1 when the single member added is the user's only one. */
const TOUCH = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local ttl = tonumber(ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
local added = 0
for i = 2, #ARGV do added = added + redis.call('ZADD', KEYS[1], now + ttl, ARGV[i]) end
redis.call('PEXPIRE', KEYS[1], ttl)
if #ARGV == 2 and added == 1 and redis.call('ZCARD', KEYS[1]) == 1 then return 1 end
return 0`;

/** Removes member ARGV[1]; 1 when it was there and no live member is left. */
const FORGET = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local removed = redis.call('ZREM', KEYS[1], ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
local left = redis.call('ZCARD', KEYS[1])
if left == 0 then redis.call('DEL', KEYS[1]) end
if removed == 1 and left == 0 then return 1 end
return 0`;

/** How many members have not expired. */
const LIVE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
return redis.call('ZCOUNT', KEYS[1], '(' .. now, '+inf')`;

declare module 'ioredis' {
  interface RedisCommander<Context> {
    presenceTouch(key: string, ttlMs: number, ...members: string[]): Result<number, Context>;
    presenceForget(key: string, member: string): Result<number, Context>;
    presenceLive(key: string): Result<number, Context>;
  }
}

/**
 * Who is online across every node, in Redis. Entries expire: each node
 * refreshes its own every third of the TTL, so a crashed node's users go
 * offline within the TTL. While Redis is out of reach the answers come from
 * this node's own connections, and the refresh that follows the outage puts
 * this node's entries back (a restarted Redis has lost them).
 */
export class RedisPresence implements Presence {
  /** This node's open connections, per user: what the refresh re-asserts. */
  private readonly local = new Map<string, Set<string>>();
  private readonly refresher: ReturnType<typeof setInterval>;
  private readonly nodeId = crypto.randomUUID();
  private readonly ttlMs: number;
  private closed = false;

  static async open(
    url: string,
    prefix: string,
    ttlSeconds: number,
    log: Logger,
  ): Promise<RedisPresence> {
    return new RedisPresence(await openRedis(url, 'confab-presence', log), prefix, ttlSeconds, log);
  }

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    ttlSeconds: number,
    private readonly log: Logger,
  ) {
    redis.defineCommand('presenceTouch', { numberOfKeys: 1, lua: TOUCH });
    redis.defineCommand('presenceForget', { numberOfKeys: 1, lua: FORGET });
    redis.defineCommand('presenceLive', { numberOfKeys: 1, lua: LIVE });
    this.ttlMs = ttlSeconds * 1000;
    this.refresher = setInterval(() => this.refresh(), this.ttlMs / 3).unref();
    redis.on('ready', () => this.refresh());
  }

  async connected(userId: string, connectionId: string): Promise<boolean> {
    let mine = this.local.get(userId);
    if (!mine) {
      mine = new Set();
      this.local.set(userId, mine);
    }
    mine.add(connectionId);
    try {
      const first = await this.redis.presenceTouch(
        this.key(userId),
        this.ttlMs,
        this.member(connectionId),
      );
      return first === 1;
    } catch (err) {
      this.warn(err);
      return mine.size === 1;
    }
  }

  async disconnected(userId: string, connectionId: string): Promise<boolean> {
    const mine = this.local.get(userId);
    if (!mine?.delete(connectionId)) return false;
    if (mine.size === 0) this.local.delete(userId);
    try {
      return (await this.redis.presenceForget(this.key(userId), this.member(connectionId))) === 1;
    } catch (err) {
      this.warn(err);
      return mine.size === 0;
    }
  }

  async online(userIds: readonly string[]): Promise<Set<string>> {
    if (userIds.length === 0) return new Set();
    try {
      const pipeline = this.redis.pipeline();
      for (const id of userIds) pipeline.presenceLive(this.key(id));
      const results = (await pipeline.exec()) ?? [];
      return new Set(
        userIds.filter((_, i) => {
          const [err, live] = results[i] ?? [];
          if (err) throw err;
          return Number(live) > 0;
        }),
      );
    } catch (err) {
      this.warn(err);
      return new Set(userIds.filter((id) => this.local.has(id)));
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.refresher);
    // Leaving in order: this node's users go offline now rather than when their entries expire.
    if (this.local.size > 0 && this.redis.status === 'ready') {
      const pipeline = this.redis.pipeline();
      for (const [userId, connections] of this.local) {
        for (const id of connections) pipeline.presenceForget(this.key(userId), this.member(id));
      }
      await pipeline.exec().catch(() => undefined);
    }
    this.local.clear();
    await closeRedis(this.redis);
  }

  /** Pushes every local entry's expiry forward; re-creates them after Redis lost them. */
  private refresh(): void {
    if (this.closed || this.local.size === 0 || this.redis.status !== 'ready') return;
    const pipeline = this.redis.pipeline();
    for (const [userId, connections] of this.local) {
      pipeline.presenceTouch(
        this.key(userId),
        this.ttlMs,
        ...[...connections].map((id) => this.member(id)),
      );
    }
    pipeline.exec().catch((err) => this.warn(err));
  }

  private key(userId: string): string {
    return `${this.prefix}presence:user:${userId}`;
  }

  private member(connectionId: string): string {
    return `${this.nodeId}:${connectionId}`;
  }

  private warn(err: unknown): void {
    this.log.warn({ err }, 'redis presence unavailable; answering from this node');
  }
}
