import { Kysely, PostgresDialect, type PostgresPool, type PostgresPoolClient } from 'kysely';
import pg from 'pg';
import { type ErrorKind, KyselyStore } from './kysely-store.js';
import { migrate } from './migrations.js';
import type { Database } from './schema.js';

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
 * The shared store: PostgreSQL through the same Kysely queries as SQLite.
 * Every node of a cluster opens one on the same database; the migrations run
 * on start under PostgreSQL's advisory lock, so nodes may start together.
 */
export async function openPostgresStore(
  url: string,
  options: PostgresOptions,
): Promise<KyselyStore> {
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
  });
  pool.on('error', options.onIdleError);
  const db = new Kysely<Database>({
    dialect: new PostgresDialect({ pool: new DiscardingPool(pool) }),
  });
  return new KyselyStore(db, classifyPgError, () => db.destroy());
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

/**
 * pg returns a connection to the pool after any error, even one that left it
 * waiting on a dead socket (a query timed out). This pool discards a connection
 * that saw the database out of reach, and fails its later queries at once,
 * so that the ROLLBACK after a timeout does not wait out a second timeout.
 */
class DiscardingPool implements PostgresPool {
  constructor(private readonly pool: pg.Pool) {}

  async connect(): Promise<PostgresPoolClient> {
    const client = await this.pool.connect();
    let broken: Error | undefined;
    // A checked-out client's socket errors are the holder's to handle, or they crash the process.
    const onError = (err: Error) => {
      broken ??= err;
    };
    client.on('error', onError);
    const query = async (sql: string, parameters: readonly unknown[]) => {
      if (broken) throw broken;
      try {
        return await client.query(sql, parameters as unknown[]);
      } catch (err) {
        if (classifyPgError(err) === 'unavailable') broken = err as Error;
        throw err;
      }
    };
    const release = () => {
      client.off('error', onError);
      client.release(broken);
    };
    // Only plain queries: Confab streams no cursors through Kysely.
    return { query, release } as unknown as PostgresPoolClient;
  }

  end(): Promise<void> {
    return this.pool.end();
  }
}

const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now
  '57014', // query_canceled: statement_timeout
  '53300', // too_many_connections
  '3D000', // invalid_catalog_name: the database is gone
]);

const UNAVAILABLE_MESSAGES =
  /Connection terminated|Query read timeout|timeout exceeded when trying to connect|Client has encountered a connection error|connection timeout|Cannot use a pool after calling end/i;

export function classifyPgError(err: unknown): ErrorKind {
  const { code, message } = err as { code?: unknown; message?: unknown };
  if (code === '23505') return 'unique';
  if (typeof code === 'string' && (UNAVAILABLE_CODES.has(code) || code.startsWith('08'))) {
    return 'unavailable';
  }
  if (typeof message === 'string' && UNAVAILABLE_MESSAGES.test(message)) return 'unavailable';
  return 'other';
}
