import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RateLimiters } from '../../src/core/ports/limiter.js';

/** What every RateLimiters adapter must do; `open` gives a fresh set of limiters. */
export function limiterContract(name: string, open: () => RateLimiters): void {
  describe(`RateLimiters contract: ${name}`, () => {
    const key = () => crypto.randomUUID();

    it('allows `points` per window, per key, then says how long to wait', async () => {
      const limiter = open().create('contract-plain', { points: 2, durationMs: 60_000 });
      const k = key();
      assert.deepEqual([await limiter.take(k), await limiter.take(k)], [0, 0]);
      const wait = await limiter.take(k);
      assert.ok(wait > 0 && wait <= 60_000, `waits ${wait} ms`);
      assert.equal(await limiter.take(key()), 0, 'another key has its own count');
    });

    it('allows a burst at once from rest, then the rate', async () => {
      const limiter = open().create('contract-burst', { points: 1, durationMs: 1_000, burst: 3 });
      const k = key();
      const takes = [];
      for (let i = 0; i < 4; i++) takes.push(await limiter.take(k));
      assert.deepEqual(takes.slice(0, 3), [0, 0, 0]);
      assert.ok((takes[3] ?? 0) > 0 && (takes[3] ?? 0) <= 1_000, `waits ${takes[3]} ms`);
    });

    it('gives back a counted event, never below none', async () => {
      const limiter = open().create('contract-give-back', { points: 2, durationMs: 60_000 });
      const k = key();
      await limiter.giveBack(k);
      assert.deepEqual([await limiter.take(k), await limiter.take(k)], [0, 0]);
      assert.ok((await limiter.take(k)) > 0, 'over the limit');
      await limiter.giveBack(k);
      await limiter.giveBack(k);
      assert.equal(await limiter.take(k), 0, 'two given back: one more allowed');
      assert.ok((await limiter.take(k)) > 0);
      const fresh = key();
      await limiter.giveBack(fresh);
      await limiter.take(fresh);
      await limiter.take(fresh);
      assert.ok((await limiter.take(fresh)) > 0, 'a give-back before any take grants nothing');
    });

    it('keeps the counts of two names apart', async () => {
      const limiters = open();
      const one = limiters.create('contract-one', { points: 1, durationMs: 60_000 });
      const two = limiters.create('contract-two', { points: 1, durationMs: 60_000 });
      const k = key();
      assert.deepEqual([await one.take(k), await two.take(k)], [0, 0]);
    });
  });
}
