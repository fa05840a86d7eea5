import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { call, createRoom, signup } from '../support/http.js';
import { type ConfabProcess, removeDataDir, startConfab } from '../support/server.js';
import { TestClient } from '../support/ws-client.js';

describe('big rooms: no joined/left notices, presence in batches', () => {
  let server: ConfabProcess;

  before(async () => {
    // "Big" from two members on, so that three users make a big room.
    server = await startConfab({
      ROOM_NOTICES_MAX_MEMBERS: '1',
      PRESENCE_BATCH_ABOVE: '1',
      PRESENCE_BATCH_MS: '50',
    });
  });
  after(async () => {
    await server.stop();
    removeDataDir(server);
  });

  it('stores no notice past the limit, keeps seqs gap-free, and batches presence', async () => {
    const alice = await signup(server.url);
    const bob = await signup(server.url);
    const carol = await signup(server.url);
    const roomId = await createRoom(server.url, alice.token); // alice's joined notice: seq 1
    const a = await TestClient.connect(server.wsUrl, { token: alice.token });
    assert.equal((await a.request({ type: 'join', roomId })).lastSeq, 1);
    const b = await TestClient.connect(server.wsUrl, { token: bob.token });
    assert.equal(
      (await b.request({ type: 'join', roomId })).lastSeq,
      2,
      "bob's notice: 1 member before him",
    );
    const c = await TestClient.connect(server.wsUrl, { token: carol.token });
    assert.equal((await c.request({ type: 'join', roomId })).lastSeq, 2, 'no notice for carol');

    const batch = await a.next(
      (f) =>
        f.type === 'presences' &&
        (f.changes as Array<{ user: { id: string } }>).some((ch) => ch.user.id === carol.id),
    );
    assert.equal(batch.roomId, roomId);
    const change = (batch.changes as Array<{ user: { id: string }; online: boolean }>).find(
      (ch) => ch.user.id === carol.id,
    );
    assert.equal(change?.online, true);

    const ack = await c.request({ type: 'send', roomId, message: 'hi all', id: 'c1' });
    assert.equal(ack.seq, 3, 'gap-free after the silent join');
    for (const client of [a, b, c]) {
      const [message] = await client.messages(roomId, 1);
      if (client === a) assert.equal(message?.type, 'joined', "alice first sees bob's notice");
    }

    // Carol opens a second connection, then leaves from the first: both leave the room.
    const c2 = await TestClient.connect(server.wsUrl, { token: carol.token });
    await c2.request({ type: 'join', roomId });
    await c.request({ type: 'leave', roomId });
    const removed = await c2.next((f) => f.type === 'left' && f.roomId === roomId);
    assert.equal(removed.id, undefined);
    const history = await call(server.url, 'GET', `/api/room/${roomId}/messages`, {
      token: alice.token,
    });
    assert.deepEqual(
      history.body.map((m: { seq: number; type: string }) => [m.seq, m.type]),
      [
        [1, 'joined'],
        [2, 'joined'],
        [3, 'chat'],
      ],
    );
    await Promise.all([a.close(), b.close(), c.close(), c2.close()]);
  });
});
