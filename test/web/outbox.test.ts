import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Outbox } from '../../web/src/chat/outbox.js';
import { isHeld } from '../../web/src/chat/pending.js';
import { RoomState } from '../../web/src/chat/room-state.js';
import type { ChatSocket } from '../../web/src/net/chat-socket.js';

/** An outbox whose socket keeps the texts it was asked to send, in order. */
function recordingOutbox() {
  const sent: string[] = [];
  const state = new RoomState('r');
  const socket = { send: (frame: { message: string }) => sent.push(frame.message) };
  const outbox = new Outbox(socket as unknown as ChatSocket, () => state);
  return { sent, state, outbox };
}

describe('the outbox under a rate limit', () => {
  it('holds a message written while an earlier one waits, and sends both in the order written', () => {
    const { sent, state, outbox } = recordingOutbox();
    outbox.send('r', 'one');
    outbox.send('r', 'two');
    const [one, two] = state.pending.value;
    outbox.acked(one?.clientId ?? '', 1);
    outbox.failed(two?.clientId ?? '', {
      code: 'rate_limited',
      message: 'Slow down.',
      retryAfterMs: 60_000,
    });
    // The server may well take a new message now: sent at once, it would overtake "two".
    outbox.send('r', 'three');
    assert.deepEqual(sent, ['one', 'two']);
    assert.deepEqual(
      state.pending.value.filter(isHeld).map((p) => p.text),
      ['two', 'three'],
    );
    outbox.sendHeld('r');
    assert.deepEqual(sent, ['one', 'two', 'two', 'three']);
    outbox.stop();
  });
});
