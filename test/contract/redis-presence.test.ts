import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import pino from 'pino';
import { RedisPresence } from '../../src/adapters/presence/redis-presence.js';
import { deleteKeys, testPrefix } from '../support/redis.js';
import { skipUnless } from '../support/services.js';
import { presenceContract } from './presence.contract.js';

const skip = skipUnless('REDIS_URL');
const url = process.env.REDIS_URL ?? '';
const prefix = testPrefix('presence');
const silent = pino({ level: 'silent' });

describe('Redis presence', { skip }, () => {
  after(() => deleteKeys(url, prefix));

  presenceContract('Redis', () => RedisPresence.open(url, prefix, 30, silent), {
    nodes: 'separate',
  });

  it('forgets a node that stopped refreshing within the TTL, and keeps one that refreshes', async () => {
    const ttlSeconds = 2;
    const crashed = await RedisPresence.open(url, prefix, ttlSeconds, silent);
    const alive = await RedisPresence.open(url, prefix, ttlSeconds, silent);
    const watcher = await RedisPresence.open(url, prefix, ttlSeconds, silent);
    const gone = crypto.randomUUID();
    const staying = crypto.randomUUID();
    await crashed.connected(gone, 'c1');
    await alive.connected(staying, 'c2');
    // A crash: the node stops refreshing without saying goodbye.
    (crashed as unknown as { refresher: NodeJS.Timeout }).refresher.close();
    const start = Date.now();
    while ((await watcher.online([gone])).size > 0) {
      assert.ok(Date.now() - start < ttlSeconds * 1000 + 500, 'still online past the TTL');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    // Past the TTL by a full refresh period: the refreshed entry is still there.
    while (Date.now() - start < ttlSeconds * 1000 + 700) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    assert.deepEqual(await watcher.online([gone, staying]), new Set([staying]));
    await Promise.all([alive.close(), watcher.close()]);
    assert.deepEqual(await crashed.online([staying]), new Set(), 'a closing node takes its users');
    await crashed.close();
  });
});
