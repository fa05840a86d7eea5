import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BACKOFF_CAP_MS, backoffDelay } from '../../web/src/net/backoff.js';

describe('backoffDelay', () => {
  it('doubles from half a second, with half of each step random', () => {
    assert.equal(
      backoffDelay(0, () => 0),
      250,
    );
    assert.equal(
      backoffDelay(0, () => 1),
      500,
    );
    assert.equal(
      backoffDelay(1, () => 0),
      500,
    );
    assert.equal(
      backoffDelay(2, () => 1),
      2_000,
    );
  });

  it('never waits longer than 5 s, however many attempts failed', () => {
    for (const attempt of [4, 5, 10, 100, 10_000]) {
      assert.ok(backoffDelay(attempt, () => 1) <= BACKOFF_CAP_MS);
      assert.ok(backoffDelay(attempt, () => 0) >= BACKOFF_CAP_MS / 2);
    }
    assert.equal(BACKOFF_CAP_MS, 5_000);
  });
});
