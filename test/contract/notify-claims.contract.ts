import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { NotifyClaims } from '../../src/core/ports/notifier.js';

/** What every NotifyClaims adapter must do; `open` is called twice, as for two nodes. */
export function notifyClaimsContract(
  name: string,
  open: () => Promise<NotifyClaims>,
  nodes: 'shared' | 'separate',
): void {
  describe(`NotifyClaims contract: ${name}`, () => {
    let one: NotifyClaims;
    let two: NotifyClaims;
    const id = () => crypto.randomUUID();

    before(async () => {
      one = await open();
      two = nodes === 'shared' ? one : await open();
    });
    after(async () => {
      await one.close();
      if (two !== one) await two.close();
    });

    it('lets one claim of a user and room win, on any node, until it is released', async () => {
      const [user, room] = [id(), id()];
      const claims = await Promise.all([one.claim(user, room), two.claim(user, room)]);
      assert.deepEqual(claims.sort(), [false, true]);
      assert.equal(await one.claim(user, id()), true, 'another room is claimed apart');
      await two.release(user, room);
      assert.equal(await one.claim(user, room), true);
    });

    it('lifts every claim of a user who connects, and remembers when', async () => {
      const [user, room] = [id(), id()];
      assert.equal(await one.lastConnected(user), undefined);
      await one.claim(user, room);
      const at = Date.now();
      await two.connected(user, at);
      assert.equal(await one.lastConnected(user), at);
      assert.equal(await one.claim(user, room), true);
    });
  });
}
