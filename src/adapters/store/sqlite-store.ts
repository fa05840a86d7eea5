import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import type { ErrorKind } from './kysely-store.js';
import { migrate } from './migrations.js';
import type { Database } from './schema.js';
import { SqliteStore } from './sqlite-direct-store.js';

export type SqliteSync = 'normal' | 'full';

/**
 * The embedded store: one SQLite file under `dataDir`.
 *
 * Durability: WAL journal. With `synchronous=NORMAL` (the default) a commit is
 * in the WAL file, handed to the OS, before it returns, so a kill -9 of the
 * server loses nothing that was acknowledged; only a power cut or kernel crash
 * can lose the last commits. `full` fsyncs every commit and survives those too,
 * at the cost of a disk flush per commit (writes are grouped, see SqliteStore).
 *
 * The schema is migrated with Kysely, as on PostgreSQL; the queries then run
 * on better-sqlite3 directly, with statements prepared once (SqliteStore).
 */
export async function openSqliteStore(dataDir: string, sync: SqliteSync): Promise<SqliteStore> {
  mkdirSync(dataDir, { recursive: true });
  const sqlite = new SQLite(join(dataDir, 'confab.sqlite'));
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma(`synchronous = ${sync === 'full' ? 'FULL' : 'NORMAL'}`);
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('foreign_keys = ON');
  // The migrator only: destroying this Kysely instance would close the database.
  const migrator = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
  await migrate(migrator as Kysely<unknown>);
  return new SqliteStore(sqlite, classifySqliteError);
}

function classifySqliteError(err: unknown): ErrorKind {
  const code = (err as { code?: unknown }).code;
  if (typeof code !== 'string') return 'other';
  if (code.startsWith('SQLITE_CONSTRAINT_UNIQUE') || code === 'SQLITE_CONSTRAINT_PRIMARYKEY') {
    return 'unique';
  }
  if (/^SQLITE_(BUSY|LOCKED|IOERR|FULL|CANTOPEN|READONLY)/.test(code)) return 'unavailable';
  return 'other';
}
