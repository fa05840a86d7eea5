import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseConfig } from '../../src/config/config.js';
import { ConfigError } from '../../src/config/env-reader.js';

const SERVICES = {
  DATABASE_URL: 'postgres://db/chat',
  REDIS_URL: 'redis://cache:6379',
  JWT_SECRET: 'x'.repeat(32),
};

describe('cluster settings', () => {
  it('default to a 30 s presence TTL, the confab: prefix, 10 connections and a 1.5 s timeout', () => {
    const config = parseConfig({ ...SERVICES });
    assert.equal(config.redis?.presenceTtlSeconds, 30);
    assert.equal(config.redis?.prefix, 'confab:');
    assert.equal(config.postgres?.poolSize, 10);
    assert.equal(config.postgres?.timeoutMs, 1500);
  });

  it('take their values from the environment', () => {
    const config = parseConfig({
      ...SERVICES,
      PRESENCE_TTL: '5',
      REDIS_PREFIX: 'prod:',
      PG_POOL_SIZE: '20',
      PG_TIMEOUT_MS: '800',
    });
    assert.deepEqual(config.redis, {
      url: SERVICES.REDIS_URL,
      prefix: 'prod:',
      presenceTtlSeconds: 5,
    });
    assert.deepEqual(config.postgres, { url: SERVICES.DATABASE_URL, poolSize: 20, timeoutMs: 800 });
  });

  it('refuse a bad value with one line naming the variable, Redis and PostgreSQL unset too', () => {
    for (const [name, value] of [
      ['PRESENCE_TTL', '1'],
      ['PRESENCE_TTL', '30s'],
      ['PG_POOL_SIZE', '0'],
      ['PG_TIMEOUT_MS', 'soon'],
    ]) {
      assert.throws(
        () => parseConfig({ [name as string]: value }),
        (err) => err instanceof ConfigError && err.message.startsWith(`${name} `),
      );
    }
  });
});
