import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { migrateTo } from '../../src/adapters/store/sql/migrations.js';
import { openSqliteStore } from '../../src/adapters/store/sqlite/open-sqlite-store.js';

describe('migration 010_social on a store made before it', () => {
  const dir = mkdtempSync(join(tmpdir(), 'confab-migrate-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('makes every existing room a group whose creator, if still a member, is its owner', async () => {
    const sqlite = new SQLite(join(dir, 'confab.sqlite'));
    const db = new Kysely<unknown>({ dialect: new SqliteDialect({ database: sqlite }) });
    await migrateTo(db, '001_initial');
    const at = new Date().toISOString();
    const insert = (sql: string, ...values: unknown[]) => sqlite.prepare(sql).run(...values);
    for (const id of ['u1', 'u2']) {
      insert(
        'insert into users (id, name, username_key, guest, created_at) values (?, ?, ?, 0, ?)',
        id,
        id,
        id,
        at,
      );
    }
    for (const room of ['kept', 'left']) {
      insert(
        `insert into rooms (id, name, visibility, created_by, created_at, last_activity)
         values (?, ?, 'private', 'u1', ?, ?)`,
        room,
        room,
        at,
        at,
      );
      insert(
        'insert into members (room_id, user_id, joined_at, last_read_seq) values (?, ?, ?, 0)',
        room,
        'u2',
        at,
      );
    }
    insert(
      'insert into members (room_id, user_id, joined_at, last_read_seq) values (?, ?, ?, 0)',
      'kept',
      'u1',
      at,
    );
    sqlite.close();

    const store = await openSqliteStore(dir, 'normal');
    try {
      assert.equal(await store.role('kept', 'u1'), 'owner');
      assert.equal(await store.role('kept', 'u2'), 'member');
      assert.equal(await store.role('left', 'u2'), 'member');
      assert.equal((await store.getRoom('kept'))?.kind, 'room');
      assert.equal((await store.getRoom('kept'))?.pair, undefined);
    } finally {
      await store.close();
    }
  });
});
