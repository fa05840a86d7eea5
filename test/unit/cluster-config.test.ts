import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, parseConfig } from '../../src/config/config.js';

describe('cluster settings', () => {
  it('default to a 30 s presence TTL, the confab: prefix, 10 connections and a 1.5 s timeout', () => {
    const config = parseConfig({});
    assert.equal(config.presenceTtlSeconds, 30);
    assert.equal(config.redisPrefix, 'confab:');
    assert.equal(config.pgPoolSize, 10);
    assert.equal(config.pgTimeoutMs, 1500);
  });

  it('take their values from the environment', () => {
    const config = parseConfig({
      PRESENCE_TTL: '5',
      REDIS_PREFIX: 'prod:',
      PG_POOL_SIZE: '20',
      PG_TIMEOUT_MS: '800',
    });
    assert.deepEqual(
      [config.presenceTtlSeconds, config.redisPrefix, config.pgPoolSize, config.pgTimeoutMs],
      [5, 'prod:', 20, 800],
    );
  });

  it('refuse a bad value with one line naming the variable', () => {
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
