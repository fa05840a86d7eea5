import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TokenBucketLimiter } from '../../src/core/rate-limiter.js';

describe('TokenBucketLimiter', () => {
  it('allows the burst, then one message per 1/rate seconds', () => {
    let now = 0;
    const limiter = new TokenBucketLimiter(2, 3, () => now);
    assert.deepEqual(
      [1, 2, 3].map(() => limiter.takeNow('u')),
      [0, 0, 0],
    );
    assert.equal(limiter.takeNow('u'), 500, 'the next token comes in 500 ms at 2/s');
    now = 250;
    assert.equal(limiter.takeNow('u'), 250);
    now = 500;
    assert.equal(limiter.takeNow('u'), 0);
    assert.equal(limiter.takeNow('other'), 0, 'buckets are per key');
  });

  it('never saves up more than the burst', () => {
    let now = 0;
    const limiter = new TokenBucketLimiter(1, 2, () => now);
    limiter.takeNow('u');
    now = 60_000;
    assert.deepEqual(
      [1, 2, 3].map(() => limiter.takeNow('u') === 0),
      [true, true, false],
    );
  });

  it('is off at rate 0', () => {
    const limiter = new TokenBucketLimiter(0, 1);
    for (let i = 0; i < 100; i++) assert.equal(limiter.takeNow('u'), 0);
  });

  it('forgets buckets that have refilled', () => {
    let now = 0;
    const limiter = new TokenBucketLimiter(1, 1, () => now);
    limiter.takeNow('u');
    now = 5_000;
    limiter.sweep();
    assert.equal(limiter.takeNow('u'), 0);
  });
});
