import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { call, createRoom, signup } from '../support/http.js';
import { type ConfabProcess, removeDataDir, startConfab } from '../support/server.js';
import { type Frame, TestClient } from '../support/ws-client.js';

/** A `message` frame's message. */
const data = (f: Frame) => f.data as { type: string; message: string; clientId?: string };

/**
 * The edges of direct rooms and groups that a trial run found wrong: the
 * codes and wording of bad input, gone guests, unread counts, live role and
 * removal events, and the limits on new direct rooms and signups.
 */
describe('direct rooms and groups at their edges', () => {
  let server: ConfabProcess;

  before(async () => {
    server = await startConfab();
  });
  after(async () => {
    await server.stop();
    removeDataDir(server);
  });

  it('names the missing field of POST /api/dm {}', async () => {
    const alice = await signup(server.url, 'edge');
    const empty = await call(server.url, 'POST', '/api/dm', { token: alice.token, body: {} });
    assert.equal(empty.status, 400);
    assert.equal(empty.body.error.code, 'invalid_request');
    assert.match(empty.body.error.message, /username or userId/);
    const both = await call(server.url, 'POST', '/api/dm', {
      token: alice.token,
      body: { username: 'x', userId: 'y' },
    });
    assert.match(both.body.error.message, /not both/);
  });

  it('refuses a direct room with, or an addition of, a guest who signed out', async () => {
    const alice = await signup(server.url, 'edge');
    const guest = await call(server.url, 'POST', '/api/guest');
    const guestId = guest.body.user.id as string;
    // Before signing out the guest is someone to talk to.
    const before = await call(server.url, 'POST', '/api/dm', {
      token: alice.token,
      body: { userId: guestId },
    });
    assert.equal(before.status, 200);
    assert.equal(
      (await call(server.url, 'POST', '/api/logout', { token: guest.body.token })).status,
      204,
    );
    const after = await call(server.url, 'POST', '/api/dm', {
      token: alice.token,
      body: { userId: guestId },
    });
    assert.equal(after.status, 404);
    assert.equal(after.body.error.code, 'user_not_found');
    const roomId = await createRoom(server.url, alice.token, { visibility: 'private' });
    const added = await call(server.url, 'POST', `/api/room/${roomId}/members`, {
      token: alice.token,
      body: { userId: guestId },
    });
    assert.equal(added.body.error.code, 'user_not_found');
  });

  it('answers room_not_found and user_not_found for ids of any length', async () => {
    const alice = await signup(server.url, 'edge');
    const long = 'x'.repeat(5000);
    const ws = await TestClient.connect(server.wsUrl, { token: alice.token });
    try {
      for (const frame of [
        { type: 'join', roomId: long },
        { type: 'send', roomId: long, message: 'hi' },
        { type: 'read', roomId: long, seq: 1 },
      ]) {
        const reply = await ws.request(frame);
        assert.equal(reply.code, 'room_not_found', `${frame.type}: ${JSON.stringify(reply)}`);
      }
    } finally {
      await ws.close();
    }
    const roomId = await createRoom(server.url, alice.token, { visibility: 'private' });
    const answers: Array<[string, string, string, unknown?]> = [
      ['GET', `/api/room/${long}`, 'room_not_found'],
      ['GET', `/api/room/${long}/messages`, 'room_not_found'],
      ['POST', `/api/room/${long}/members`, 'room_not_found', { username: 'nobody' }],
      ['DELETE', `/api/room/${long}/members/${long}`, 'room_not_found'],
      ['DELETE', `/api/room/${roomId}/members/${long}`, 'user_not_found'],
      ['PATCH', `/api/room/${roomId}/members/${long}`, 'user_not_found', { role: 'admin' }],
      ['PUT', `/api/blocks/${long}`, 'user_not_found'],
      ['DELETE', `/api/blocks/${long}`, 'user_not_found'],
      ['POST', '/api/dm', 'user_not_found', { userId: long }],
      ['POST', '/api/dm', 'user_not_found', { username: long }],
    ];
    for (const [method, path, code, body] of answers) {
      const answer = await call(server.url, method, path, { token: alice.token, body });
      assert.equal(answer.body?.error?.code, code, `${method} ${path.slice(0, 60)}…`);
    }
  });

  it('tells a non-member adding to a public room to join it first', async () => {
    const [owner, stranger] = [await signup(server.url, 'edge'), await signup(server.url, 'edge')];
    const roomId = await createRoom(server.url, owner.token);
    const answer = await call(server.url, 'POST', `/api/room/${roomId}/members`, {
      token: stranger.token,
      body: { username: owner.name },
    });
    assert.equal(answer.status, 403);
    assert.equal(answer.body.error.code, 'not_member');
    assert.match(answer.body.error.message, /before adding/);
  });

  it("never counts one's own messages as unread, and ties a bot's answer to its command", async () => {
    const [alice, bob] = [await signup(server.url, 'edge'), await signup(server.url, 'edge')];
    const roomId = await createRoom(server.url, alice.token);
    const a = await TestClient.connect(server.wsUrl, { token: alice.token });
    const b = await TestClient.connect(server.wsUrl, { token: bob.token });
    try {
      await a.request({ type: 'join', roomId });
      await b.request({ type: 'join', roomId });
      await b.request({ type: 'send', roomId, message: 'from bob' });
      await a.request({ type: 'send', roomId, message: 'mine', id: 'a-1' });
      const help = await a.request({ type: 'send', roomId, message: '/help', id: 'a-2' });
      const answer = await a.next((f) => f.type === 'message' && data(f).type === 'bot');
      assert.equal(data(answer).clientId, help.messageId, "the answer carries its command's id");
      const unread = async (who: { token: string }) =>
        (await call(server.url, 'GET', '/api/rooms', { token: who.token })).body.find(
          (r: { roomId: string }) => r.roomId === roomId,
        ).unread;
      assert.equal(await unread(alice), 1, "only the bot's answer after alice's own messages");

      // An unknown command: its sender alone hears why; the others see its text only.
      const unknown = await a.request({ type: 'send', roomId, message: '/frobnicate', id: 'a-3' });
      assert.equal(unknown.type, 'ack');
      const why = await a.next((f) => f.type === 'error' && f.id === 'a-3');
      assert.equal(why.code, 'unknown_command');
      await b.next((f) => f.type === 'message' && data(f).message === '/frobnicate');
      await b.request({ type: 'ping' }); // every frame for b before this pong has arrived
      assert.ok(!b.frames.some((f) => f.type === 'error'), 'no error reaches the others');
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });
});

describe('limits on new direct rooms and signups', () => {
  let server: ConfabProcess;
  const from = (address: string, method: string, path: string, body?: unknown, token?: string) =>
    fetch(`${server.url}${path}`, {
      method,
      headers: {
        'x-forwarded-for': address,
        'content-type': 'application/json',
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: JSON.stringify(body ?? {}),
    }).then(async (r) => ({ status: r.status, headers: r.headers, body: await r.json() }));

  before(async () => {
    server = await startConfab({
      RATE_LIMITS: 'on',
      TRUST_PROXY: 'true',
      ROOM_CREATE_RATE: '2/1m',
      SIGNUP_RATE: '3/1h',
    });
  });
  after(async () => {
    await server.stop();
    removeDataDir(server);
  });

  it('counts a new direct room against ROOM_CREATE_RATE, and finding one made before not', async () => {
    const people = [];
    for (let i = 0; i < 4; i++) {
      const made = await from(`10.1.0.${i}`, 'POST', '/api/signup', {
        username: `dmrate${process.pid}x${i}`,
        password: 'correct horse',
      });
      assert.equal(made.status, 201);
      people.push(made.body as { token: string; user: { id: string } });
    }
    const [me, ...others] = people as [(typeof people)[0], ...typeof people];
    const open = (peer: { user: { id: string } }) =>
      from('10.1.1.1', 'POST', '/api/dm', { userId: peer.user.id }, me.token);
    assert.equal((await open(others[0] as (typeof people)[0])).status, 200);
    for (let i = 0; i < 5; i++) {
      assert.equal((await open(others[0] as (typeof people)[0])).status, 200, 'found again: free');
    }
    assert.equal((await open(others[1] as (typeof people)[0])).status, 200);
    const refused = await open(others[2] as (typeof people)[0]);
    assert.equal(refused.status, 429);
    assert.equal(refused.body.error.code, 'rate_limited');
    assert.ok(Number(refused.headers.get('retry-after')) >= 1);
    assert.equal((await open(others[1] as (typeof people)[0])).status, 200, 'old ones still open');
  });

  it('limits signups per address with 429 rate_limited and Retry-After', async () => {
    const statuses = [];
    let last: Awaited<ReturnType<typeof from>> | undefined;
    for (let i = 0; i < 4; i++) {
      last = await from('10.2.0.1', 'POST', '/api/signup', {
        username: `signrate${process.pid}x${i}`,
        password: 'correct horse',
      });
      statuses.push(last.status);
    }
    assert.deepEqual(statuses, [201, 201, 201, 429]);
    assert.equal(last?.body.error.code, 'rate_limited');
    const retryAfter = Number(last?.headers.get('retry-after'));
    assert.ok(retryAfter > 60 && retryAfter <= 3600, `Retry-After ${retryAfter}`);
    const elsewhere = await from('10.2.0.2', 'POST', '/api/signup', {
      username: `signrate${process.pid}x9`,
      password: 'correct horse',
    });
    assert.equal(elsewhere.status, 201, 'per address');
  });
});
