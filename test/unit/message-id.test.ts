import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { messageId } from '../../src/core/message-id.js';

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('messageId', () => {
  it('is a UUIDv7 whose first 48 bits are the time in milliseconds', () => {
    const at = Date.UTC(2026, 11, 2, 3, 30);
    const id = messageId(at);
    assert.match(id, UUID_V7);
    assert.equal(Number.parseInt(id.slice(0, 8) + id.slice(9, 13), 16), at);
  });

  it('sorts a later millisecond after an earlier one, as text', () => {
    const ids = [0, 1, 255, 256, 2 ** 32, Date.now()].map((ms) => messageId(ms));
    assert.deepEqual([...ids].sort(), ids);
  });

  it('differs within one millisecond', () => {
    const at = Date.now();
    const ids = new Set(Array.from({ length: 1000 }, () => messageId(at)));
    assert.equal(ids.size, 1000);
  });
});
