import pg from 'pg';
import { RUN_ID } from './services.js';

export interface TestDatabase {
  /** postgres://… of the new, empty database. */
  readonly url: string;
  readonly name: string;
  /** Drops the database, closing whatever connections are left on it. */
  drop(): Promise<void>;
}

let made = 0;

/**
 * Creates an empty database of this run's own on the server DATABASE_URL
 * names, so that runs sharing the server never see each other's rows.
 */
export async function createTestDatabase(tag: string): Promise<TestDatabase> {
  const adminUrl = process.env.DATABASE_URL;
  if (!adminUrl) throw new Error('createTestDatabase needs DATABASE_URL');
  const name = `${RUN_ID}_${tag}_${++made}`.toLowerCase().replace(/[^a-z0-9_]/g, '_');
  await admin(adminUrl, `CREATE DATABASE "${name}"`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    drop: () => admin(adminUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`),
  };
}

async function admin(url: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}
