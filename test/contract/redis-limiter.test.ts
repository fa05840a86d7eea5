import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Redis } from 'ioredis';
import pino from 'pino';
import { FlexibleLimiters } from '../../src/adapters/limits/flexible-limiters.js';
import { closeRedis, openRedis } from '../../src/adapters/redis/redis-client.js';
import { deleteKeys, testPrefix } from '../support/redis.js';
import { skipUnless } from '../support/services.js';
import { limiterContract } from './limiter.contract.js';

const skip = skipUnless('REDIS_URL');
const url = process.env.REDIS_URL ?? '';
const prefix = testPrefix('limits');
const silent = pino({ level: 'silent' });

describe('Redis limiters', { skip }, () => {
  const connections: Redis[] = [];
  before(async () => {
    for (let i = 0; i < 2; i++) connections.push(await openRedis(url, 'test-limits', silent));
  });
  after(async () => {
    await Promise.all(connections.map((redis) => closeRedis(redis)));
    await deleteKeys(url, prefix);
  });

  limiterContract('Redis', () => FlexibleLimiters.inRedis(connections[0] as Redis, prefix));

  it('counts and gives back across two connections, as two nodes do', async () => {
    const rule = { points: 2, durationMs: 60_000 };
    const [a, b] = connections.map((redis) =>
      FlexibleLimiters.inRedis(redis, prefix).create('across', rule),
    );
    const key = crypto.randomUUID();
    assert.equal(await a?.take(key), 0);
    assert.equal(await b?.take(key), 0);
    assert.ok(((await a?.take(key)) ?? 0) > 0);
    await b?.giveBack(key);
    await b?.giveBack(key);
    assert.equal(await a?.take(key), 0, 'what one node gives back, the other may take');
  });
});
