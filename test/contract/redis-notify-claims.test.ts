import { after, describe } from 'node:test';
import type { Redis } from 'ioredis';
import pino from 'pino';
import { RedisNotifyClaims } from '../../src/adapters/notify/redis-notify-claims.js';
import { closeRedis, openRedis } from '../../src/adapters/redis/redis-client.js';
import { deleteKeys, testPrefix } from '../support/redis.js';
import { skipUnless } from '../support/services.js';
import { notifyClaimsContract } from './notify-claims.contract.js';

const skip = skipUnless('REDIS_URL');
const url = process.env.REDIS_URL ?? '';
const prefix = testPrefix('notify');
const silent = pino({ level: 'silent' });

describe('Redis notify claims', { skip }, () => {
  // The adapter leaves its connection to whoever opened it: here, this suite.
  const connections: Redis[] = [];
  after(async () => {
    await Promise.all(connections.map((redis) => closeRedis(redis)));
    await deleteKeys(url, prefix);
  });

  notifyClaimsContract(
    'Redis',
    async () => {
      const redis = await openRedis(url, 'test-notify', silent);
      connections.push(redis);
      return new RedisNotifyClaims(redis, prefix, 3600);
    },
    'separate',
  );
});
