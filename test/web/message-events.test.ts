import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyEvents } from '../../web/src/chat/message-events.js';
import { mergeMessages } from '../../web/src/chat/timeline.js';
import type { ChatMessage } from '../../web/src/protocol.js';

const SENT = '2026-11-22T10:00:00.000Z';

const chat = (seq: number, text = `m${seq}`, extra: Partial<ChatMessage> = {}): ChatMessage => ({
  id: `id-${seq}`,
  roomId: 'r',
  seq,
  memberId: 'alice',
  memberName: 'alice',
  type: 'chat',
  message: text,
  sent: SENT,
  ...extra,
});

const event = (
  seq: number,
  type: 'edit' | 'delete' | 'reaction',
  target: number,
  message: string,
  by = 'bob',
  extra: Partial<ChatMessage> = {},
): ChatMessage => ({
  id: `id-${seq}`,
  roomId: 'r',
  seq,
  memberId: by,
  memberName: by,
  type,
  message,
  targetId: `id-${target}`,
  sent: `2026-11-22T10:0${seq % 10}:00.000Z`,
  ...extra,
});

/** What the client does with anything that arrives: merge by seq, then apply the events. */
const add = (timeline: readonly ChatMessage[], incoming: readonly ChatMessage[]) =>
  applyEvents(mergeMessages(timeline, incoming), incoming);

describe('applyEvents', () => {
  it('edits, deletes and counts reactions on their targets', () => {
    let timeline = add([], [chat(1, 'hello'), chat(2, 'oops')]);
    timeline = add(timeline, [event(3, 'edit', 1, 'hello, all', 'alice')]);
    timeline = add(timeline, [event(4, 'reaction', 1, '👍', 'bob')]);
    timeline = add(timeline, [event(5, 'reaction', 1, '👍', 'carol')]);
    timeline = add(timeline, [event(6, 'reaction', 2, '🎉', 'bob')]);
    timeline = add(timeline, [event(7, 'delete', 2, '', 'alice')]);
    const [first, second] = timeline;
    assert.equal(first?.message, 'hello, all');
    assert.equal(first?.edited, '2026-11-22T10:03:00.000Z');
    assert.deepEqual(first?.reactions, [
      {
        emoji: '👍',
        count: 2,
        users: [
          { id: 'bob', name: 'bob' },
          { id: 'carol', name: 'carol' },
        ],
      },
    ]);
    assert.equal(first?.changedSeq, 5);
    assert.equal(second?.message, '');
    assert.equal(second?.deleted, true);
    assert.equal(second?.reactions, undefined, 'a deletion drops the reactions');
  });

  it('takes a reaction back, and an emoji nobody holds goes', () => {
    let timeline = add([], [chat(1), event(2, 'reaction', 1, '👍', 'bob')]);
    timeline = add(timeline, [event(3, 'reaction', 1, '👍', 'bob', { removed: true })]);
    assert.equal(timeline[0]?.reactions, undefined);
  });

  it('applies a replayed event once, and none already in the target’s state', () => {
    const edited = chat(1, 'hello, all', { edited: SENT, changedSeq: 3 });
    // History read after the edit: the replayed edit and reaction at or below changedSeq are skipped.
    let timeline = add([], [edited]);
    timeline = add(timeline, [event(2, 'reaction', 1, '👍'), event(3, 'edit', 1, 'stale')]);
    assert.equal(timeline[0]?.message, 'hello, all');
    assert.equal(timeline[0]?.reactions, undefined);
    // The same reaction heard twice (live, then a `since` replay) counts once.
    timeline = add(timeline, [event(4, 'reaction', 1, '👍')]);
    timeline = add(timeline, [event(4, 'reaction', 1, '👍')]);
    assert.equal(timeline[0]?.reactions?.[0]?.count, 1);
  });

  it('skips an event whose target is not loaded, and keeps the same array when nothing changes', () => {
    const timeline = add([], [chat(10)]);
    const after = add(timeline, [event(11, 'edit', 3, 'elsewhere')]);
    assert.equal(after.length, 2);
    assert.equal(after[0]?.message, 'm10');
    assert.equal(applyEvents(after, [chat(12)]), after);
  });

  it('applies the events of an older page in seq order, whatever order they come in', () => {
    const page = [
      chat(1, 'a'),
      event(3, 'edit', 1, 'c', 'alice'),
      event(2, 'edit', 1, 'b', 'alice'),
    ];
    assert.equal(add([], page)[0]?.message, 'c');
  });
});
