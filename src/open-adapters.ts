import { BadSecretFile, loadOrCreateSecret } from './adapters/auth/secret-file.js';
import { MemoryBus } from './adapters/bus/memory-bus.js';
import { RedisBus } from './adapters/bus/redis-bus.js';
import { AmqpCommandQueue } from './adapters/commands/amqp-command-queue.js';
import { MemoryCommandQueue } from './adapters/commands/memory-command-queue.js';
import { ObscenityScanner } from './adapters/content/obscenity-scanner.js';
import { FlexibleLimiters } from './adapters/limits/flexible-limiters.js';
import { MemoryNotifyClaims } from './adapters/notify/memory-notify-claims.js';
import { RedisNotifyClaims } from './adapters/notify/redis-notify-claims.js';
import { WebhookNotifier } from './adapters/notify/webhook-notifier.js';
import { MemoryPresence } from './adapters/presence/memory-presence.js';
import { RedisPresence } from './adapters/presence/redis-presence.js';
import { closeRedis, openRedis } from './adapters/redis/redis-client.js';
import { openPostgresStore } from './adapters/store/postgres/open-postgres-store.js';
import { openSqliteStore } from './adapters/store/sqlite/open-sqlite-store.js';
import { commandRunner } from './bots/run-command.js';
import type { Config } from './config/config.js';
import { ConfigError } from './config/env-reader.js';
import type { BotCommand } from './core/ports/bot-command.js';
import type { Bus } from './core/ports/bus.js';
import type { CommandQueue } from './core/ports/command-queue.js';
import type { RateLimiters } from './core/ports/limiter.js';
import type { Notifier, NotifyClaims } from './core/ports/notifier.js';
import type { Presence } from './core/ports/presence.js';
import type { Store } from './core/ports/store.js';
import type { TextScanner } from './core/ports/text-scanner.js';
import type { Logger } from './logger.js';
import { startStep } from './start-failure.js';

export interface Adapters {
  store: Store;
  bus: Bus;
  presence: Presence;
  jwtSecret: string;
  /** Which adapters were picked, for the start-up log line. */
  names: { store: string; bus: string; presence: string };
}

/**
 * The one place that picks adapters: embedded by default; PostgreSQL with
 * DATABASE_URL; Redis pub/sub and presence with REDIS_URL.
 */
export async function openAdapters(config: Config, log: Logger): Promise<Adapters> {
  let jwtSecret = config.auth.jwtSecret;
  if (jwtSecret === undefined) {
    const loaded = await startStep('DATA_DIR', () => secretFrom(config.dataDir));
    if (loaded.created) {
      log.warn(
        { dataDir: config.dataDir },
        'JWT_SECRET is not set: generated one into DATA_DIR. Set JWT_SECRET to share tokens between nodes.',
      );
    }
    jwtSecret = loaded.secret;
  }
  const { store, name: storeName } = await startStep(
    config.postgres ? 'DATABASE_URL' : 'DATA_DIR',
    () => openStore(config, log),
  );
  if (!config.redis) {
    return {
      store,
      bus: new MemoryBus(),
      presence: new MemoryPresence(),
      jwtSecret,
      names: { store: storeName, bus: 'memory', presence: 'memory' },
    };
  }
  const opened: Array<{ close(): Promise<void> }> = [store];
  try {
    const { url, prefix, presenceTtlSeconds } = config.redis;
    const bus = await startStep('REDIS_URL', () => RedisBus.open(url, prefix, log));
    opened.push(bus);
    const presence = await startStep('REDIS_URL', () =>
      RedisPresence.open(url, prefix, presenceTtlSeconds, log),
    );
    return {
      store,
      bus,
      presence,
      jwtSecret,
      names: { store: storeName, bus: 'redis', presence: 'redis' },
    };
  } catch (err) {
    await Promise.allSettled(opened.map((adapter) => adapter.close()));
    throw err;
  }
}

export interface AbuseAdapters {
  limiters: RateLimiters;
  scanner: TextScanner;
  /** Undefined without NOTIFY_WEBHOOK_URL: no offline notification. */
  notify: { notifier: Notifier; claims: NotifyClaims } | undefined;
  names: { limits: string; notify: string };
  close(): Promise<void>;
}

/**
 * The count limits, content scanner and offline notification: in memory on
 * one node; with REDIS_URL, limits and notification claims in Redis (one
 * connection of their own), under REDIS_PREFIX.
 */
export async function openAbuseAdapters(config: Config, log: Logger): Promise<AbuseAdapters> {
  const redisConfig = config.redis;
  const redis = redisConfig && {
    client: await startStep('REDIS_URL', () => openRedis(redisConfig.url, 'confab-limits', log)),
    prefix: redisConfig.prefix,
  };
  const limiters = redis
    ? FlexibleLimiters.inRedis(redis.client, redis.prefix)
    : FlexibleLimiters.inMemory();
  let notify: AbuseAdapters['notify'];
  if (config.notify) {
    const seenTtlSeconds = Math.ceil(config.notify.afterMs / 1000) + 3600;
    notify = {
      notifier: new WebhookNotifier(config.notify.webhookUrl, config.notify.webhookSecret),
      claims: redis
        ? new RedisNotifyClaims(redis.client, redis.prefix, seenTtlSeconds)
        : new MemoryNotifyClaims(),
    };
  }
  return {
    limiters,
    scanner: new ObscenityScanner(config.content.deniedDomains),
    notify,
    names: { limits: redis ? 'redis' : 'memory', notify: notify ? 'webhook' : 'off' },
    close: async () => {
      await notify?.claims.close();
      if (redis) await closeRedis(redis.client);
    },
  };
}

/**
 * Where commands go: to RabbitMQ's bot workers with AMQP_URL (the node then
 * carries out none itself), else to `commands` run in this process.
 */
export function openCommandQueue(
  config: Config,
  commands: readonly BotCommand[],
  log: Logger,
): { queue: CommandQueue; name: string } {
  if (config.amqp) {
    return { queue: new AmqpCommandQueue(config.amqp.url, config.amqp.prefix, log), name: 'amqp' };
  }
  const onError = (err: unknown) => log.error({ err }, 'command failed');
  return {
    queue: new MemoryCommandQueue(
      commandRunner(commands, onError),
      config.commands.concurrency,
      onError,
    ),
    name: 'memory',
  };
}

/** The store alone (PostgreSQL with DATABASE_URL, else SQLite): the server's, and the admin commands'. */
export async function openStore(
  config: Config,
  log: Logger,
): Promise<{ store: Store; name: 'postgres' | 'sqlite' }> {
  if (config.postgres) {
    const store = await openPostgresStore(config.postgres.url, {
      ...config.postgres,
      onIdleError: (err) => log.warn({ err }, 'postgres connection lost'),
    });
    return { store, name: 'postgres' };
  }
  const store = await openSqliteStore(
    config.dataDir,
    config.sqlite.sync,
    config.sqlite.locking,
    (err) => log.warn({ err }, 'search index batch failed; the next search or message retries it'),
  );
  return { store, name: 'sqlite' };
}

/** The data folder's JWT secret; a bad file stops the start like a bad JWT_SECRET (one line, exit 2). */
function secretFrom(dataDir: string): { secret: string; created: boolean } {
  try {
    return loadOrCreateSecret(dataDir);
  } catch (err) {
    if (err instanceof BadSecretFile) throw new ConfigError(err.message);
    throw err;
  }
}
