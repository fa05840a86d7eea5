import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { KeyedLane } from '../../src/core/keyed-lane.js';

describe('KeyedLane', () => {
  it('runs one key’s tasks in the order handed in, even when the first is the slowest', async () => {
    const lane = new KeyedLane();
    const order: string[] = [];
    let release: () => void = () => {};
    const slow = lane.run('u', async () => {
      await new Promise<void>((resolve) => {
        release = resolve;
      });
      order.push('leave');
    });
    const fast = lane.run('u', async () => {
      order.push('join');
    });
    const other = lane.run('v', async () => {
      order.push('other user');
    });
    await other;
    assert.deepEqual(order, ['other user'], 'another key does not wait');
    release();
    await Promise.all([slow, fast]);
    assert.deepEqual(order, ['other user', 'leave', 'join']);
  });

  it('goes on after a task fails, and hands the failure to its caller only', async () => {
    const lane = new KeyedLane();
    const failed = lane.run('u', async () => {
      throw new Error('boom');
    });
    const next = lane.run('u', async () => 'ran');
    await assert.rejects(failed, /boom/);
    assert.equal(await next, 'ran');
  });
});
