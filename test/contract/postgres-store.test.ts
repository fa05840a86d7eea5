import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import {
  migratePostgres,
  openPostgresStore,
} from '../../src/adapters/store/postgres/open-postgres-store.js';
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
