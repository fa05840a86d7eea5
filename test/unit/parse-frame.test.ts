import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ChatError } from '../../src/core/errors.js';
import { parseText, toClientFrame } from '../../src/transport/ws/parse-frame.js';

const invalid = (err: unknown) => err instanceof ChatError && err.code === 'invalid_request';

describe('parsing client frames', () => {
  it('tells JSON objects from other text', () => {
    assert.equal(parseText('{"type":"ping"}').kind, 'object');
    for (const text of ['hello', '[1]', '"str"', '42', 'null', '{broken', ' {"a":1} trailing']) {
      assert.equal(parseText(text).kind, 'text', text);
    }
  });

  it('accepts each frame type with its fields', () => {
    const frames = [
      { type: 'join', roomId: 'r', since: 0 },
      { type: 'join', roomId: 'r' },
      { type: 'leave', roomId: 'r', id: 'x' },
      { type: 'send', roomId: 'r', message: 'hi', id: 'c1' },
      { type: 'ping' },
      { type: 'typing', roomId: 'r' },
      { type: 'read', roomId: 'r', seq: 3 },
      { type: 'send', roomId: 'r', message: 'extra fields are ignored', future: true },
    ];
    for (const frame of frames) assert.deepEqual(toClientFrame(frame), frame);
  });

  it('refuses what does not fit, naming the field', () => {
    assert.throws(() => toClientFrame({}), invalid);
    assert.throws(() => toClientFrame({ type: 'hasOwnProperty' }), invalid);
    assert.throws(() => toClientFrame({ type: 'send', roomId: 'r' }), /message/);
    assert.throws(() => toClientFrame({ type: 'join', roomId: 'r', since: 1.5 }), /since/);
    assert.throws(() => toClientFrame({ type: 'read', roomId: 'r', seq: -1 }), /seq/);
    assert.throws(() => toClientFrame({ type: 'ping', id: '' }), /id/);
    assert.throws(() => toClientFrame({ type: 'ping', id: 'x'.repeat(129) }), /id/);
    // An id is stored as it is sent: these would all become "k\ufffd", one id for four.
    for (const id of ['k\ud800', 'k\udc00', 'k\u0000']) {
      assert.throws(
        () => toClientFrame({ type: 'send', roomId: 'r', message: 'm', id }),
        /id must/,
      );
    }
    assert.equal(toClientFrame({ type: 'ping', id: 'k\ufffd\u{1F600}' }).id, 'k\ufffd\u{1F600}');
  });
});
