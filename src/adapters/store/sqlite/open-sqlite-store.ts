import { closeSync, mkdirSync, openSync } from 'node:fs';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import type { ErrorKind } from '../sql/engine.js';
import { migrate } from '../sql/migrations.js';
import type { Database } from '../sql/schema.js';
import { SqlStore } from '../sql/sql-store.js';
import { SqliteEngine } from './sqlite-engine.js';

export type SqliteSync = 'normal' | 'full';
export type SqliteLocking = 'exclusive' | 'normal';

/**
 * The embedded store: one SQLite file under `dataDir`.
 *
 * Durability: WAL journal. With `synchronous=NORMAL` (the default) a commit is
 * in the WAL file, handed to the OS, before it returns, so a kill -9 of the
 * server loses nothing that was acknowledged; only a power cut or kernel crash
 * can lose the last commits. `full` fsyncs every commit and survives those too,
 * at the cost of a disk flush per commit (writes are grouped, see sql/group-commit.ts).
 *
 * Locking: `exclusive` (the default) keeps the file to this process, so that
 * SQLite holds its WAL index in memory and takes no file lock per transaction:
 * each read and each commit costs about 40% less. Another process (the
 * sqlite3 shell, a backup) cannot open the file while the server runs; with
 * `normal` it can.
 *
 * The schema is migrated with Kysely, as on PostgreSQL; the SQL store's
 * queries then run on better-sqlite3 directly, prepared once (SqliteEngine).
 */
export async function openSqliteStore(
  dataDir: string,
  sync: SqliteSync,
  locking: SqliteLocking = 'exclusive',
): Promise<SqlStore> {
  // Owner only: the file holds password hashes and private messages. SQLite gives its
  // WAL and shared-memory files the database file's mode, so they are 0600 too.
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const file = join(dataDir, 'confab.sqlite');
  createOwnerOnly(file);
  const sqlite = new SQLite(file);
  // Before the first read: in exclusive mode the WAL index then never goes to shared memory.
  sqlite.pragma(`locking_mode = ${locking === 'exclusive' ? 'EXCLUSIVE' : 'NORMAL'}`);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma(`synchronous = ${sync === 'full' ? 'FULL' : 'NORMAL'}`);
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('foreign_keys = ON');
  // A deleted message's text is overwritten in the file, not left in free space.
  sqlite.pragma('secure_delete = ON');
  // The migrator only: destroying this Kysely instance would close the database.
  const migrator = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
  await migrate(migrator as Kysely<unknown>);
  return new SqlStore(new SqliteEngine(sqlite, classifySqliteError));
}

/** Creates `file` empty and 0600 unless it exists (an empty file is an empty database). */
function createOwnerOnly(file: string): void {
  try {
    closeSync(openSync(file, 'wx', 0o600));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
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
