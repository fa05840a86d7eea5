import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, sql } from 'kysely';
import pg from 'pg';
import { openPostgresStore } from '../../src/adapters/store/postgres/open-postgres-store.js';
import { migrateTo } from '../../src/adapters/store/sql/migrations.js';
import { openSqliteStore } from '../../src/adapters/store/sqlite/open-sqlite-store.js';
import type { Store } from '../../src/core/ports/store.js';
import { createTestDatabase } from '../support/postgres.js';
import { skipUnless } from '../support/services.js';

/** A room with messages written before 020_message_actions, through the older schema. */
async function fillOldSchema(db: Kysely<unknown>): Promise<void> {
  await migrateTo(db, '010_social');
  const at = '2026-01-01T00:00:00.000Z';
  await sql`insert into rooms (id, name, visibility, created_by, created_at, last_activity, last_seq)
    values ('r1', 'Old room', 'public', null, ${at}, ${at}, 3)`.execute(db);
  const rows: Array<[string, number, string, string]> = [
    ['m1', 1, 'joined', 'pangolin joined the room'],
    ['m2', 2, 'chat', 'an old pangolin story'],
    ['m3', 3, 'chat', 'something else'],
  ];
  for (const [id, seq, type, body] of rows) {
    await sql`insert into messages (id, room_id, seq, member_id, member_name, type, body, client_id, sent_at)
      values (${id}, 'r1', ${seq}, 'u1', 'old', ${type}, ${body}, null, ${at})`.execute(db);
  }
}

/** What 020 makes of the old rows: found by search (notices never), and editable. */
async function checkMigrated(store: Store): Promise<void> {
  const found = await store.search({ words: ['pangolin'], userId: null, limit: 10 });
  assert.deepEqual(
    found.map((h) => [h.id, h.roomName]),
    [['m2', 'Old room']],
  );
  const history = await store.history('r1', { limit: 10 });
  assert.deepEqual(
    history.map((m) => Object.keys(m).sort()),
    history.map(() => ['id', 'memberId', 'memberName', 'message', 'roomId', 'sent', 'seq', 'type']),
  );
  await store.appendEvent(
    {
      id: 'e1',
      roomId: 'r1',
      memberId: 'u1',
      memberName: 'old',
      type: 'edit',
      message: 'a new armadillo story',
      sent: new Date().toISOString(),
      targetId: 'm2',
    },
    20,
  );
  assert.equal((await store.search({ words: ['pangolin'], userId: null, limit: 10 })).length, 0);
  assert.equal((await store.search({ words: ['armadillo'], userId: null, limit: 10 })).length, 1);
}

describe('migration 020_message_actions on a store made before it', () => {
  it('indexes the SQLite messages already there', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'confab-migrate-'));
    try {
      const sqlite = new SQLite(join(dir, 'confab.sqlite'));
      await fillOldSchema(
        new Kysely<unknown>({ dialect: new SqliteDialect({ database: sqlite }) }),
      );
      sqlite.close();
      const store = await openSqliteStore(dir, 'normal');
      try {
        await checkMigrated(store);
      } finally {
        await store.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  describe('on PostgreSQL', { skip: skipUnless('DATABASE_URL') }, () => {
    const dropped: Array<() => Promise<void>> = [];
    after(async () => {
      for (const drop of dropped) await drop();
    });

    it('indexes the PostgreSQL messages already there', async () => {
      const database = await createTestDatabase('actions_migrate');
      dropped.push(() => database.drop());
      const db = new Kysely<unknown>({
        dialect: new PostgresDialect({
          pool: new pg.Pool({ connectionString: database.url, max: 1 }),
        }),
      });
      try {
        await fillOldSchema(db);
      } finally {
        await db.destroy();
      }
      const store = await openPostgresStore(database.url, {
        poolSize: 2,
        timeoutMs: 5_000,
        onIdleError: () => {},
      });
      try {
        await checkMigrated(store);
      } finally {
        await store.close();
      }
    });
  });
});
