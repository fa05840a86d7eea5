import { loadOrCreateSecret } from './adapters/auth/secret-file.js';
import { MemoryBus } from './adapters/bus/memory-bus.js';
import { RedisBus } from './adapters/bus/redis-bus.js';
import { MemoryPresence } from './adapters/presence/memory-presence.js';
import { RedisPresence } from './adapters/presence/redis-presence.js';
import { openPostgresStore } from './adapters/store/postgres-store.js';
import { openSqliteStore } from './adapters/store/sqlite-store.js';
import type { Config } from './config/config.js';
import type { Bus } from './core/ports/bus.js';
import type { Presence } from './core/ports/presence.js';
import type { Store } from './core/ports/store.js';
import type { Logger } from './logger.js';

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
  let jwtSecret = config.jwtSecret;
  if (jwtSecret === undefined) {
    const loaded = loadOrCreateSecret(config.dataDir);
    if (loaded.created) {
      log.warn(
        { dataDir: config.dataDir },
        'JWT_SECRET is not set: generated one into DATA_DIR. Set JWT_SECRET to share tokens between nodes.',
      );
    }
    jwtSecret = loaded.secret;
  }
  const { store, name: storeName } = await openStore(config, log);
  if (!config.redisUrl) {
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
    const bus = await RedisBus.open(config.redisUrl, config.redisPrefix, log);
    opened.push(bus);
    const presence = await RedisPresence.open(
      config.redisUrl,
      config.redisPrefix,
      config.presenceTtlSeconds,
      log,
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

/** The store alone (PostgreSQL with DATABASE_URL, else SQLite): the server's, and the admin commands'. */
export async function openStore(
  config: Config,
  log: Logger,
): Promise<{ store: Store; name: 'postgres' | 'sqlite' }> {
  if (config.databaseUrl) {
    const store = await openPostgresStore(config.databaseUrl, {
      poolSize: config.pgPoolSize,
      timeoutMs: config.pgTimeoutMs,
      onIdleError: (err) => log.warn({ err }, 'postgres connection lost'),
    });
    return { store, name: 'postgres' };
  }
  const store = await openSqliteStore(config.dataDir, config.sqliteSync, config.sqliteLocking);
  return { store, name: 'sqlite' };
}
