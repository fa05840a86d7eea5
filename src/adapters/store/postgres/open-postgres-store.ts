import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { migrate } from '../sql/migrations.js';
import { SqlStore } from '../sql/sql-store.js';
import { PostgresEngine } from './postgres-engine.js';

export interface PostgresOptions {
  /** Connections this node keeps at most. */
  poolSize: number;
  /**
   * Milliseconds a connect or a query may take. Past it the store answers
   * `store_unavailable` rather than let a send hang on a database that is out
   * of reach: a client must hear back within about two seconds.
   */
  timeoutMs: number;
  /** Errors on idle connections (the database went away); logged, never thrown. */
  onIdleError: (err: unknown) => void;
}

/**
 * The shared store: PostgreSQL under the same SQL store as SQLite.
 * Every node of a cluster opens one on the same database; the migrations run
 * on start under PostgreSQL's advisory lock, so nodes may start together.
 */
export async function openPostgresStore(url: string, options: PostgresOptions): Promise<SqlStore> {
  await migratePostgres(url);
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolSize,
    connectionTimeoutMillis: options.timeoutMs,
    query_timeout: options.timeoutMs,
    // The server gives up too, so that a statement the client abandoned frees its locks.
    statement_timeout: options.timeoutMs,
    // A node cut off mid-transaction would hold a room's row lock, and so stall
    // every other node's sends to that room, until the server dropped it.
    idle_in_transaction_session_timeout: Math.max(5_000, options.timeoutMs * 2),
    keepAlive: true,
    // A group commit's statements go out together (GroupConnection.together).
    pipeline: true,
  });
  pool.on('error', options.onIdleError);
  return new SqlStore(new PostgresEngine(pool, writersFor(options.poolSize)));
}

/**
 * Half the pool writes (group-commit lanes, each holding a connection while
 * its group runs), the other half serves reads, so that neither starves the
 * other: with the default 10, five groups commit side by side.
 */
export function writersFor(poolSize: number): number {
  return Math.max(1, Math.floor(poolSize / 2));
}

/**
 * Runs the migrations on a connection of their own, without the store's short
 * timeouts: a node that starts beside another waits for that one's migration.
 */
export async function migratePostgres(url: string): Promise<void> {
  const db = new Kysely<unknown>({
    dialect: new PostgresDialect({
      pool: new pg.Pool({ connectionString: url, max: 1, connectionTimeoutMillis: 10_000 }),
    }),
  });
  try {
    await migrate(db);
  } finally {
    await db.destroy();
  }
}
