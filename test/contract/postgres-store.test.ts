import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import {
  migratePostgres,
  openPostgresStore,
} from '../../src/adapters/store/postgres/open-postgres-store.js';
import { PostgresEngine } from '../../src/adapters/store/postgres/postgres-engine.js';
import { sql } from '../../src/adapters/store/sql/engine.js';
import { GroupCommit } from '../../src/adapters/store/sql/group-commit.js';
import { ChatError } from '../../src/core/errors.js';
import type { Store } from '../../src/core/ports/store.js';
import { createTestDatabase, type TestDatabase } from '../support/postgres.js';
import { skipUnless } from '../support/services.js';
import { TcpProxy } from '../support/tcp-proxy.js';
import { storeContract } from './store.contract.js';

const skip = skipUnless('DATABASE_URL');
const options = { poolSize: 10, timeoutMs: 1_500, onIdleError: () => {} };

describe('PostgreSQL store', { skip }, () => {
  let database: TestDatabase;
  before(async () => {
    database = await createTestDatabase('store');
  });

  storeContract(
    'PostgreSQL',
    () => openPostgresStore(database.url, options),
    () => database.drop(),
  );
});

describe('PostgreSQL migrations', { skip }, () => {
  let database: TestDatabase;
  before(async () => {
    database = await createTestDatabase('migrate');
  });
  after(() => database.drop());

  it('run once when several nodes start at the same time', async () => {
    await Promise.all(Array.from({ length: 4 }, () => migratePostgres(database.url)));
    const client = new pg.Client(database.url);
    await client.connect();
    try {
      const applied = await client.query('SELECT name FROM kysely_migration');
      const names = applied.rows.map((row) => row.name as string);
      assert.deepEqual(names, [...new Set(names)], 'each migration ran once');
      for (const name of ['001_initial', '010_social']) assert.ok(names.includes(name), name);
      const columns = await client.query(
        `SELECT data_type FROM information_schema.columns WHERE table_name = 'rooms' AND column_name = 'last_seq'`,
      );
      assert.equal(columns.rows[0]?.data_type, 'integer', 'seqs come back as JS numbers');
    } finally {
      await client.end();
    }
    await migratePostgres(database.url); // and again, later: nothing to do
  });
});

describe('PostgreSQL store out of reach', { skip }, () => {
  let database: TestDatabase;
  let proxy: TcpProxy;
  let store: Store;
  before(async () => {
    database = await createTestDatabase('reach');
    proxy = await TcpProxy.start(Number(new URL(database.url).port || 5432));
    const url = new URL(database.url);
    url.port = String(proxy.port);
    store = await openPostgresStore(url.toString(), { ...options, timeoutMs: 500 });
  });
  after(async () => {
    await store.close();
    await proxy.close();
    await database.drop();
  });

  for (const how of ['reset', 'blackhole'] as const) {
    it(`answers store_unavailable within the timeout when the network is cut (${how}), and recovers`, async () => {
      await store.ping();
      proxy.cut(how);
      for (let i = 0; i < 3; i++) {
        const started = Date.now();
        await assert.rejects(
          store.getRoom('r'),
          (err) => err instanceof ChatError && err.code === 'store_unavailable',
        );
        assert.ok(Date.now() - started < 1_500, `answered after ${Date.now() - started} ms`);
      }
      proxy.restore();
      await store.ping();
      assert.equal(await store.getRoom('r'), undefined);
    });
  }
});

describe('PostgreSQL group commit, pipelined', { skip }, () => {
  let database: TestDatabase;
  let pool: pg.Pool;
  let group: GroupCommit;
  const insert = sql('pipelined_insert', 'INSERT INTO pipelined (n) VALUES ($1)');
  const stored = async () =>
    (await pool.query('SELECT n FROM pipelined ORDER BY n')).rows.map((row) => row.n as number);

  before(async () => {
    database = await createTestDatabase('pipelined');
    pool = new pg.Pool({ connectionString: database.url, pipeline: true });
    await pool.query('CREATE TABLE pipelined (n int PRIMARY KEY)');
    // One lane: the writes of a turn form one group.
    group = new GroupCommit(new PostgresEngine(pool, 1), 1);
  });
  after(async () => {
    await pool.end();
    await database.drop();
  });

  it('fails a write whose statement came after an await, and stores the rest once', async () => {
    const results = await Promise.allSettled([
      group.write('', (tx) => tx.run(insert, [1]), true),
      group.write(
        '',
        async (tx) => {
          await Promise.resolve();
          return tx.run(insert, [2]);
        },
        true,
      ),
      group.write('', (tx) => tx.run(insert, [3]), true),
    ]);
    assert.deepEqual(
      results.map((r) => r.status),
      ['fulfilled', 'rejected', 'fulfilled'],
    );
    assert.match(String((results[1] as PromiseRejectedResult).reason), /after its pipelined group/);
    assert.deepEqual(await stored(), [1, 3]);
  });

  it('runs a group again with savepoints when one statement fails', async () => {
    const results = await Promise.allSettled(
      [4, 1, 5].map((n) => group.write('', (tx) => tx.run(insert, [n]), true)),
    );
    assert.deepEqual(
      results.map((r) => r.status),
      ['fulfilled', 'rejected', 'fulfilled'],
    );
    assert.deepEqual(await stored(), [1, 3, 4, 5]);
  });
});
