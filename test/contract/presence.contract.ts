import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Presence } from '../../src/core/ports/presence.js';

/** What every Presence adapter must do. `open` is called twice, for two nodes. */
export function presenceContract(
  name: string,
  open: () => Promise<Presence>,
  options: { nodes: 'shared' | 'separate' },
): void {
  describe(`Presence contract: ${name}`, () => {
    let nodeA: Presence;
    let nodeB: Presence;

    before(async () => {
      nodeA = await open();
      nodeB = options.nodes === 'shared' ? nodeA : await open();
    });
    after(async () => {
      await nodeA.close();
      if (nodeB !== nodeA) await nodeB.close();
    });

    it('is online from the first connection to the last, on any node', async () => {
      const user = crypto.randomUUID();
      const other = crypto.randomUUID();
      assert.deepEqual(await nodeA.online([user, other]), new Set());
      assert.equal(await nodeA.connected(user, 'c1'), true, 'first connection');
      assert.equal(await nodeB.connected(user, 'c2'), false, 'second connection, other node');
      assert.deepEqual(await nodeB.online([user, other]), new Set([user]));
      assert.equal(await nodeA.disconnected(user, 'c1'), false, 'one connection left');
      assert.deepEqual(await nodeA.online([user]), new Set([user]));
      assert.equal(await nodeB.disconnected(user, 'c2'), true, 'last connection');
      assert.deepEqual(await nodeA.online([user]), new Set());
    });

    it('ignores a connection it never saw', async () => {
      assert.equal(await nodeA.disconnected(crypto.randomUUID(), 'nope'), false);
    });
  });
}
