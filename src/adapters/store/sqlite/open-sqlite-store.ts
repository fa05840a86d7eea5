import { closeSync, mkdirSync, openSync } from 'node:fs';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import type { ErrorKind } from '../sql/engine.js';
import { migrate } from '../sql/migrations.js';
import type { Database } from '../sql/schema.js';
import { SqlStore } from '../sql/sql-store.js';
import { SqliteEngine } from './sqlite-engine.js';

/** Pages of WAL (4 KiB each) that start a checkpoint: 16 MiB. */
const WAL_CHECKPOINT_PAGES = 4096;

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
 * Checkpoints: once the WAL holds WAL_CHECKPOINT_PAGES pages, the commit that
 * crosses the mark copies them into the database file and fsyncs both files,
 * and the event loop waits for the disk. At SQLite's default of 1,000 pages
 * (4 MiB) that was a 14 ms wait every 70 or so chat cases, about a tenth of
 * the server's time in `npm run bench -- flat`; at 4,096 pages (16 MiB) the
 * waits are a third as many and a page that many commits changed (a room's
 * row, an index's root) is copied once: half the waiting in all, the longest
 * about 22 ms. 16,384 pages saved little more and doubled p99 latency.
 * (Measured with a timer around each COMMIT in a temporary build, 20 x 300
 * flat cases: waits of 1.23 s at 1,000 pages, 0.69 s at 4,096, 0.55 s at 16,384.)
 * The WAL file is cut back to that size after each checkpoint.
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
  onBackgroundError: (err: unknown) => void = () => {},
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
  sqlite.pragma(`wal_autocheckpoint = ${WAL_CHECKPOINT_PAGES}`);
  sqlite.pragma(`journal_size_limit = ${WAL_CHECKPOINT_PAGES * 4096}`);
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('foreign_keys = ON');
  // A deleted message's text is overwritten in the file, not left in free space.
  sqlite.pragma('secure_delete = ON');
  // The migrator only: destroying this Kysely instance would close the database.
  const migrator = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
  await migrate(migrator as Kysely<unknown>);
  return new SqlStore(new SqliteEngine(sqlite, classifySqliteError), onBackgroundError);
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
