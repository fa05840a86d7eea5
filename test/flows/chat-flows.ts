import assert from 'node:assert/strict';
import { it } from 'node:test';
import { call, createRoom, signup } from '../support/http.js';
import { TestClient } from '../support/ws-client.js';

/** Where the flows run: one node, or several sharing a database and a bus. */
export interface Target {
  nodes: ReadonlyArray<{ url: string; wsUrl: string }>;
}

/**
 * The core acceptance flows of chatting over `/api/ws`. Each flow spreads its
 * clients and HTTP calls over the target's nodes (node i is the (i mod n)-th),
 * so that on a cluster the sender, the receivers and the readers of history
 * sit on different nodes, and on one node the flows are the single-node ones.
 * Called inside a `describe` whose `before` has started the target.
 */
export function chatFlows(target: () => Target): void {
  const node = (i: number) => {
    const { nodes } = target();
    return nodes[i % nodes.length] as { url: string; wsUrl: string };
  };
  it('greets a connection with its user, and answers ping', async () => {
    const alice = await signup(node(0).url);
    const client = await TestClient.connect(node(1).wsUrl, { token: alice.token, header: true });
    const welcome = await client.next();
    assert.deepEqual(welcome, { type: 'welcome', user: { id: alice.id, name: alice.name } });
    assert.deepEqual(await client.request({ type: 'ping', id: 'p1' }), { type: 'pong', id: 'p1' });
    await client.close();
  });

  it('delivers a message to both members, the sender included, with its seq and ack', async () => {
    const alice = await signup(node(0).url);
    const bob = await signup(node(1).url);
    const roomId = await createRoom(node(2).url, alice.token, { name: 'Tea' });
    const a = await TestClient.connect(node(0).wsUrl, { token: alice.token });
    const b = await TestClient.connect(node(1).wsUrl, { token: bob.token });
    const joinedA = await a.request({ type: 'join', roomId });
    assert.equal(joinedA.type, 'joined');
    assert.equal(joinedA.lastSeq, 1, "the creator's joined notice is seq 1");
    const joinedB = await b.request({ type: 'join', roomId });
    assert.equal(joinedB.lastSeq, 2, "bob's joined notice is seq 2");
    const [notice] = await a.messages(roomId, 1);
    assert.equal(notice?.type, 'joined');
    assert.equal(notice?.memberId, bob.id);

    const ack = await a.request({ type: 'send', roomId, message: 'hello bob', id: 'c-1' });
    assert.equal(ack.type, 'ack');
    assert.equal(ack.seq, 3);
    assert.equal(typeof ack.messageId, 'string');
    for (const client of [a, b]) {
      const [message] = await client.messages(roomId, 1);
      assert.equal(message?.message, 'hello bob');
      assert.equal(message?.seq, 3);
      assert.equal(message?.memberId, alice.id);
      assert.equal(message?.memberName, alice.name);
      assert.equal(message?.type, 'chat');
      assert.equal(message?.clientId, 'c-1');
      assert.equal(message?.id, ack.messageId);
      assert.match(String(message?.sent), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    }
    await Promise.all([a.close(), b.close()]);
  });

  it('delivers a burst of 200 messages complete and in seq order to every connection', async () => {
    const alice = await signup(node(0).url);
    const bob = await signup(node(1).url);
    const roomId = await createRoom(node(0).url, alice.token);
    const a = await TestClient.connect(node(0).wsUrl, { token: alice.token });
    const b = await TestClient.connect(node(1).wsUrl, { token: bob.token });
    const start = (await a.request({ type: 'join', roomId })).lastSeq as number;
    await b.request({ type: 'join', roomId });
    await a.messages(roomId, 1); // bob's joined notice
    for (let i = 0; i < 200; i++)
      a.send({ type: 'send', roomId, message: `m${i}`, id: `burst-${i}` });
    for (const client of [a, b]) {
      const received = await client.messages(roomId, 200);
      assert.deepEqual(
        received.map((m) => m.message),
        Array.from({ length: 200 }, (_, i) => `m${i}`),
      );
      const seqs = received.map((m) => m.seq as number);
      assert.deepEqual(
        seqs,
        Array.from({ length: 200 }, (_, i) => start + 2 + i),
      );
    }
    // The sender's own copy of a message may arrive before its ack: wait for the last ack.
    await a.next((f) => f.type === 'ack' && f.id === 'burst-199');
    const acks = a.frames.filter((f) => f.type === 'ack');
    assert.equal(acks.length, 200);
    assert.equal(b.frames.filter((f) => f.type === 'message').length, 200, 'no duplicates');
    await Promise.all([a.close(), b.close()]);
  });

  it('pages through history with after, before and limit', async () => {
    const alice = await signup(node(2).url);
    const roomId = await createRoom(node(2).url, alice.token);
    const a = await TestClient.connect(node(2).wsUrl, { token: alice.token });
    await a.request({ type: 'join', roomId });
    for (let i = 1; i <= 30; i++) await a.request({ type: 'send', roomId, message: `h${i}` });
    // seq 1 is the joined notice; chat messages are seqs 2..31.
    const newest = await call(node(0).url, 'GET', `/api/room/${roomId}/messages?limit=10`, {
      token: alice.token,
    });
    assert.equal(newest.status, 200);
    assert.deepEqual(
      newest.body.map((m: { seq: number }) => m.seq),
      [22, 23, 24, 25, 26, 27, 28, 29, 30, 31],
    );
    const older = await call(
      node(1).url,
      'GET',
      `/api/room/${roomId}/messages?before=22&limit=10`,
      {
        token: alice.token,
      },
    );
    assert.deepEqual(
      older.body.map((m: { seq: number }) => m.seq),
      [12, 13, 14, 15, 16, 17, 18, 19, 20, 21],
    );
    const afterFive = await call(
      node(0).url,
      'GET',
      `/api/room/${roomId}/messages?after=5&limit=3`,
      { token: alice.token },
    );
    assert.deepEqual(
      afterFive.body.map((m: { seq: number }) => m.seq),
      [6, 7, 8],
    );
    const between = await call(
      node(0).url,
      'GET',
      `/api/room/${roomId}/messages?after=5&before=9&limit=50`,
      { token: alice.token },
    );
    assert.deepEqual(
      between.body.map((m: { seq: number }) => m.seq),
      [6, 7, 8],
    );
    const all = await call(node(1).url, 'GET', `/api/room/${roomId}/messages?limit=200`);
    assert.equal(all.body.length, 31);
    assert.equal(all.body[0].type, 'joined');
    await a.close();
  });

  it('resumes with since: a reconnecting client gets exactly what it missed, in order', async () => {
    const alice = await signup(node(0).url);
    const bob = await signup(node(1).url);
    const roomId = await createRoom(node(0).url, alice.token);
    const a = await TestClient.connect(node(0).wsUrl, { token: alice.token });
    await a.request({ type: 'join', roomId });
    let b = await TestClient.connect(node(1).wsUrl, { token: bob.token });
    await b.request({ type: 'join', roomId });
    await a.request({ type: 'send', roomId, message: 'before' });
    const [seen] = await b.messages(roomId, 1);
    await b.close();
    for (let i = 0; i < 250; i++) await a.request({ type: 'send', roomId, message: `missed ${i}` });
    b = await TestClient.connect(node(2).wsUrl, { token: bob.token });
    const joined = await b.request({ type: 'join', roomId, since: seen?.seq });
    assert.equal(joined.lastSeq, (seen?.seq as number) + 250);
    a.send({ type: 'send', roomId, message: 'live' });
    const caughtUp = await b.messages(roomId, 251);
    assert.deepEqual(
      caughtUp.map((m) => m.message),
      [...Array.from({ length: 250 }, (_, i) => `missed ${i}`), 'live'],
    );
    const seqs = caughtUp.map((m) => m.seq as number);
    assert.deepEqual(
      seqs,
      Array.from({ length: 251 }, (_, i) => (seen?.seq as number) + 1 + i),
    );
    assert.ok(
      b.frames.findIndex((f) => f.type === 'joined') <
        b.frames.findIndex((f) => f.type === 'message'),
    );
    await Promise.all([a.close(), b.close()]);
  });

  it('stores a resent message once and answers with the first ack', async () => {
    const alice = await signup(node(0).url);
    const roomId = await createRoom(node(0).url, alice.token);
    const a = await TestClient.connect(node(0).wsUrl, { token: alice.token });
    await a.request({ type: 'join', roomId });
    const first = await a.request({ type: 'send', roomId, message: 'once', id: 'same-id' });
    await a.close();
    const again = await TestClient.connect(node(1).wsUrl, { token: alice.token });
    await again.request({ type: 'join', roomId });
    const second = await again.request({ type: 'send', roomId, message: 'once', id: 'same-id' });
    assert.deepEqual(second, first);
    const history = await call(node(2).url, 'GET', `/api/room/${roomId}/messages`);
    assert.equal(history.body.filter((m: { message: string }) => m.message === 'once').length, 1);
    assert.equal(history.body.at(-1).clientId, 'same-id');
    await again.close();
  });

  it('lets only members send, and tells the others who left', async () => {
    const alice = await signup(node(0).url);
    const bob = await signup(node(1).url);
    const roomId = await createRoom(node(0).url, alice.token);
    const a = await TestClient.connect(node(0).wsUrl, { token: alice.token });
    const b = await TestClient.connect(node(1).wsUrl, { token: bob.token });
    await a.request({ type: 'join', roomId });
    const refused = await b.request({ type: 'send', roomId, message: 'let me in' });
    assert.equal(refused.type, 'error');
    assert.equal(refused.code, 'not_member');
    await b.request({ type: 'join', roomId });
    const left = await b.request({ type: 'leave', roomId });
    assert.deepEqual(left, { type: 'left', id: left.id, roomId });
    const notices = await a.messages(roomId, 2);
    assert.deepEqual(
      notices.map((m) => m.type),
      ['joined', 'left'],
    );
    const after = await b.request({ type: 'send', roomId, message: 'still here?' });
    assert.equal(after.code, 'not_member');
    await Promise.all([a.close(), b.close()]);
  });

  it('relays typing to the other members and reports who is online', async () => {
    const alice = await signup(node(0).url);
    const bob = await signup(node(1).url);
    const roomId = await createRoom(node(0).url, alice.token);
    const a = await TestClient.connect(node(0).wsUrl, { token: alice.token });
    await a.request({ type: 'join', roomId });
    const b = await TestClient.connect(node(1).wsUrl, { token: bob.token });
    await b.request({ type: 'join', roomId });
    const presence = await a.next(
      (f) => f.type === 'presence' && (f.user as { id: string }).id === bob.id,
    );
    assert.equal(presence.online, true);
    b.send({ type: 'typing', roomId });
    const typing = await a.next((f) => f.type === 'typing');
    assert.deepEqual(typing, { type: 'typing', roomId, user: { id: bob.id, name: bob.name } });
    const detail = await call(node(2).url, 'GET', `/api/room/${roomId}`, { token: alice.token });
    assert.deepEqual(
      detail.body.members.map((m: { name: string; online: boolean }) => [m.name, m.online]),
      [
        [alice.name, true],
        [bob.name, true],
      ],
    );
    await b.close();
    const offline = await a.next((f) => f.type === 'presence' && f.online === false);
    assert.equal((offline.user as { id: string }).id, bob.id);
    const later = await call(node(2).url, 'GET', `/api/room/${roomId}`, { token: alice.token });
    assert.equal(later.body.members.find((m: { id: string }) => m.id === bob.id).online, false);
    await a.close();
  });

  it("tells every connection about a new public room, and the creator's about a private one", async () => {
    const alice = await signup(node(0).url);
    const bob = await signup(node(1).url);
    const b = await TestClient.connect(node(1).wsUrl, { token: bob.token });
    await b.next((f) => f.type === 'welcome');
    const roomId = await createRoom(node(0).url, alice.token, { name: 'Announced' });
    const frame = await b.next((f) => f.type === 'room');
    assert.deepEqual(frame.room, { roomId, roomName: 'Announced', visibility: 'public' });
    // Alice's other tab or device lists the private room she made, without a reload.
    const a = await TestClient.connect(node(2).wsUrl, { token: alice.token });
    await a.next((f) => f.type === 'welcome');
    const secret = await createRoom(node(0).url, alice.token, {
      name: 'Secret',
      visibility: 'private',
    });
    const mine = await a.next(
      (f) => f.type === 'room' && (f.room as { roomId: string }).roomId === secret,
    );
    assert.deepEqual(mine.room, { roomId: secret, roomName: 'Secret', visibility: 'private' });
    await a.close();
    const ping = await b.request({ type: 'ping' });
    assert.equal(ping.type, 'pong');
    assert.equal(
      b.frames.filter((f) => f.type === 'room').length,
      1,
      'private rooms are not announced',
    );
    await b.close();
  });
}
