import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mergeMessages } from '../../web/src/chat/timeline.js';
import type { ChatMessage } from '../../web/src/protocol.js';

const message = (seq: number, text = `m${seq}`): ChatMessage => ({
  id: `id-${seq}`,
  roomId: 'r',
  seq,
  memberId: 'u',
  memberName: 'u',
  type: 'chat',
  message: text,
  sent: '2026-11-22T10:00:00.000Z',
});
const seqs = (list: readonly ChatMessage[]) => list.map((m) => m.seq);

describe('mergeMessages', () => {
  it('appends newer messages in order', () => {
    assert.deepEqual(
      seqs(mergeMessages([message(1), message(2)], [message(3), message(4)])),
      [1, 2, 3, 4],
    );
  });

  it('puts an older page in front', () => {
    assert.deepEqual(
      seqs(mergeMessages([message(5), message(6)], [message(3), message(4)])),
      [3, 4, 5, 6],
    );
  });

  it('shows a message that arrives twice once, keeping the first copy', () => {
    const merged = mergeMessages(
      [message(1), message(2, 'first copy')],
      [message(2, 'again'), message(3)],
    );
    assert.deepEqual(seqs(merged), [1, 2, 3]);
    assert.equal(merged[1]?.message, 'first copy');
  });

  it('returns the same array when nothing is new, so nothing re-renders', () => {
    const timeline = [message(1), message(2)];
    assert.equal(mergeMessages(timeline, [message(2)]), timeline);
    assert.equal(mergeMessages(timeline, []), timeline);
  });

  it('sorts an out-of-order batch', () => {
    assert.deepEqual(seqs(mergeMessages([], [message(3), message(1), message(2)])), [1, 2, 3]);
  });
});
