import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Cluster } from '../support/cluster.js';
import { call } from '../support/http.js';
import { removeDataDir, restartConfab, startConfab } from '../support/server.js';
import { skipUnless } from '../support/services.js';

type Listed = Array<{ roomName: string; visibility: string }>;
const names = (rooms: Listed) => rooms.map((r) => `${r.roomName}/${r.visibility}`).sort();

describe('DEFAULT_ROOMS', () => {
  it('makes general and random on first start, and not again after a restart', async () => {
    const first = await startConfab({ DEFAULT_ROOMS: 'general,random' });
    const second = await (async () => {
      try {
        const rooms = (await call(first.url, 'GET', '/api/rooms')).body as Listed;
        assert.deepEqual(names(rooms), ['general/public', 'random/public']);
      } finally {
        await first.stop();
      }
      return restartConfab(first);
    })();
    try {
      const rooms = (await call(second.url, 'GET', '/api/rooms')).body as Listed;
      assert.deepEqual(names(rooms), ['general/public', 'random/public']);
    } finally {
      await second.stop();
      removeDataDir(second);
    }
  });

  it('makes none when empty', async () => {
    const server = await startConfab({ DEFAULT_ROOMS: '' });
    try {
      assert.deepEqual((await call(server.url, 'GET', '/api/rooms')).body, []);
    } finally {
      await server.stop();
      removeDataDir(server);
    }
  });

  it('makes each room once when three nodes start at once on one store', {
    skip: skipUnless('DATABASE_URL', 'REDIS_URL'),
  }, async () => {
    const cluster = await Cluster.start({
      nodes: 3,
      env: { DEFAULT_ROOMS: 'general,random,help' },
    });
    try {
      for (const node of cluster.nodes) {
        const rooms = (await call(node.url, 'GET', '/api/rooms')).body as Listed;
        assert.deepEqual(names(rooms), ['general/public', 'help/public', 'random/public']);
      }
    } finally {
      await cluster.stop();
    }
  });
});
