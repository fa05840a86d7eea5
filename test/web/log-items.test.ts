import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { logItems } from '../../web/src/chat/log-items.js';
import type { PendingMessage } from '../../web/src/chat/pending.js';
import type { ChatMessage } from '../../web/src/protocol.js';

const at = (minutes: number) => new Date(Date.UTC(2026, 10, 22, 10, minutes)).toISOString();
const chat = (
  seq: number,
  memberId: string,
  minutes: number,
  type: ChatMessage['type'] = 'chat',
) => ({
  id: `m${seq}`,
  roomId: 'r',
  seq,
  memberId,
  memberName: memberId,
  type,
  message: `text ${seq}`,
  sent: at(minutes),
});

describe('logItems', () => {
  it('shows no line for an edit, deletion or reaction, nor a type it does not know; a topic is a notice', () => {
    const items = logItems(
      [
        chat(1, 'ann', 0),
        chat(2, 'ann', 1, 'edit'),
        chat(3, 'bob', 1, 'reaction'),
        chat(4, 'ann', 2, 'delete'),
        chat(5, 'ann', 2, 'topic'),
        chat(6, 'ann', 3, 'poll' as ChatMessage['type']),
        chat(7, 'ann', 3),
      ],
      [],
      'me',
      new Date(at(30)),
    );
    assert.deepEqual(
      items.filter((i) => i.kind !== 'day').map((i) => `${i.kind}:${i.key}`),
      ['message:m-1', 'notice:m-5', 'message:m-7'],
    );
  });

  it('groups one person’s messages sent close together, and marks one’s own', () => {
    const items = logItems(
      [chat(1, 'ann', 0), chat(2, 'ann', 1), chat(3, 'me', 2), chat(4, 'ann', 20)],
      [],
      'me',
      new Date(at(30)),
    );
    const messages = items.filter((i) => i.kind === 'message');
    assert.deepEqual(
      messages.map((i) => [i.continued, i.own]),
      [
        [false, false],
        [true, false],
        [false, true],
        [false, false],
      ],
    );
    assert.equal(items[0]?.kind, 'day');
  });

  it('sets notices apart and starts a new group after one', () => {
    const items = logItems(
      [chat(1, 'ann', 0), chat(2, 'bob', 0, 'joined'), chat(3, 'ann', 1)],
      [],
      'me',
    );
    assert.deepEqual(
      items.map((i) => i.kind),
      ['day', 'message', 'notice', 'message'],
    );
    const last = items.at(-1);
    assert.equal(last?.kind === 'message' && last.continued, false);
  });

  it('puts pending messages last, grouped with one’s own', () => {
    const pending: PendingMessage = {
      clientId: 'c1',
      roomId: 'r',
      text: 'on its way',
      created: at(3),
      status: 'sending',
    };
    const items = logItems([chat(1, 'me', 2)], [pending], 'me');
    const last = items.at(-1);
    assert.equal(last?.kind, 'pending');
    assert.equal(last?.kind === 'pending' && last.continued, true);
  });

  it('puts the unread divider above the first unread message, once, and starts a new group', () => {
    const items = logItems(
      [chat(1, 'ann', 0), chat(2, 'ann', 1), chat(3, 'ann', 2)],
      [],
      'me',
      new Date(at(30)),
      2,
    );
    assert.deepEqual(
      items.map((i) =>
        i.kind === 'message' ? `${i.message.seq}${i.continued ? '+' : ''}` : i.kind,
      ),
      ['day', '1', 'unread', '2', '3+'],
    );
  });
});
