import { loadOrCreateSecret } from './adapters/auth/secret-file.js';
import { MemoryBus } from './adapters/bus/memory-bus.js';
import { MemoryPresence } from './adapters/presence/memory-presence.js';
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

/** The one place that picks adapters: embedded by default, others by URL. */
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
  const store = await openSqliteStore(config.dataDir, config.sqliteSync, config.sqliteLocking);
  return {
    store,
    bus: new MemoryBus(),
    presence: new MemoryPresence(),
    jwtSecret,
    names: { store: 'sqlite', bus: 'memory', presence: 'memory' },
  };
}
