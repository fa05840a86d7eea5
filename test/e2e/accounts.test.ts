import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { call, createRoom, signup } from '../support/http.js';
import { type ConfabProcess, removeDataDir, startConfab } from '../support/server.js';
import { TestClient } from '../support/ws-client.js';

describe('accounts, guests and rooms over HTTP', () => {
  let server: ConfabProcess;

  before(async () => {
    server = await startConfab();
  });
  after(async () => {
    await server.stop();
    removeDataDir(server);
  });

  it('signs up and logs in with a token that works on HTTP and WebSocket', async () => {
    const username = `Carol_${process.pid}`;
    const created = await call(server.url, 'POST', '/api/signup', {
      body: { username, password: 'hunter2hunter2' },
    });
    assert.equal(created.status, 201);
    assert.deepEqual(Object.keys(created.body).sort(), ['token', 'user']);
    assert.equal(created.body.user.name, username);
    const login = await call(server.url, 'POST', '/api/login', {
      body: { username: username.toLowerCase(), password: 'hunter2hunter2' },
    });
    assert.equal(login.status, 200);
    assert.equal(login.body.user.id, created.body.user.id);
    const me = await call(server.url, 'GET', '/api/me', { token: login.body.token });
    assert.deepEqual(me.body, { user: { id: created.body.user.id, name: username } });
    const ws = await TestClient.connect(server.wsUrl, { token: login.body.token });
    assert.deepEqual((await ws.next()).user, { id: created.body.user.id, name: username });
    await ws.close();
  });

  it('makes guests with readable two-word names, stored as users', async () => {
    const guest = await call(server.url, 'POST', '/api/guest');
    assert.equal(guest.status, 201);
    assert.equal(guest.body.user.guest, true);
    assert.match(guest.body.user.name, /^[A-Z][a-z]+ [A-Z][a-z]+$/);
    const roomId = await createRoom(server.url, guest.body.token);
    const detail = await call(server.url, 'GET', `/api/room/${roomId}`);
    assert.deepEqual(detail.body.members, [
      { id: guest.body.user.id, name: guest.body.user.name, online: false, role: 'owner' },
    ]);
    const anonymous = await TestClient.connect(server.wsUrl);
    const welcome = await anonymous.next();
    assert.equal((welcome.user as { guest: boolean }).guest, true, 'no token: a guest');
    await anonymous.close();
  });

  it('lists public rooms and my private ones, with unread counts', async () => {
    const alice = await signup(server.url);
    const bob = await signup(server.url);
    const open = await createRoom(server.url, alice.token, { name: 'Open' });
    const secret = await createRoom(server.url, alice.token, {
      name: 'Secret',
      visibility: 'private',
    });
    const forBob = (await call(server.url, 'GET', '/api/rooms', { token: bob.token })).body;
    assert.ok(forBob.some((r: { roomId: string }) => r.roomId === open));
    assert.ok(!forBob.some((r: { roomId: string }) => r.roomId === secret));
    const bobOnline = await TestClient.connect(server.wsUrl, { token: bob.token });
    await bobOnline.next((f) => f.type === 'welcome');
    const added = await call(server.url, 'POST', `/api/room/${secret}/members`, {
      token: alice.token,
      body: { username: bob.name },
    });
    assert.equal(added.status, 204);
    const shown = await bobOnline.next((f) => f.type === 'room');
    assert.deepEqual(shown.room, { roomId: secret, roomName: 'Secret', visibility: 'private' });
    await bobOnline.close();
    const a = await TestClient.connect(server.wsUrl, { token: alice.token });
    await a.request({ type: 'join', roomId: secret });
    for (let i = 0; i < 3; i++)
      await a.request({ type: 'send', roomId: secret, message: `unread ${i}` });
    const listed = (await call(server.url, 'GET', '/api/rooms', { token: bob.token })).body;
    const summary = listed.find((r: { roomId: string }) => r.roomId === secret);
    assert.deepEqual(
      { ...summary, lastActivity: undefined },
      {
        roomId: secret,
        roomName: 'Secret',
        visibility: 'private',
        lastSeq: 5,
        unread: 3,
        member: true,
        lastActivity: undefined,
      },
    );
    const b = await TestClient.connect(server.wsUrl, { token: bob.token });
    await b.request({ type: 'join', roomId: secret });
    b.send({ type: 'read', roomId: secret, seq: 5 });
    await b.request({ type: 'ping' });
    const read = (await call(server.url, 'GET', '/api/rooms', { token: bob.token })).body;
    assert.equal(read.find((r: { roomId: string }) => r.roomId === secret).unread, 0);
    await Promise.all([a.close(), b.close()]);
  });

  it('reports health', async () => {
    const health = await call(server.url, 'GET', '/api/healthz');
    assert.equal(health.status, 200);
    assert.equal(health.body.status, 'ok');
  });
});

describe('limits', () => {
  let server: ConfabProcess;

  before(async () => {
    server = await startConfab({
      RATE_LIMITS: 'on',
      MESSAGE_RATE: '1',
      MESSAGE_BURST: '3',
      CONNECTIONS_PER_USER: '2',
      ROOMS_PER_CONNECTION: '2',
    });
  });
  after(async () => {
    await server.stop();
    removeDataDir(server);
  });

  it('rate-limits messages per user with retryAfterMs, storing none of the refused', async () => {
    const alice = await signup(server.url);
    const roomId = await createRoom(server.url, alice.token);
    const a = await TestClient.connect(server.wsUrl, { token: alice.token });
    await a.request({ type: 'join', roomId });
    const replies = [];
    for (let i = 0; i < 5; i++)
      replies.push(await a.request({ type: 'send', roomId, message: `r${i}` }));
    assert.deepEqual(
      replies.map((r) => r.type),
      ['ack', 'ack', 'ack', 'error', 'error'],
    );
    assert.equal(replies[3]?.code, 'rate_limited');
    assert.ok(
      (replies[3]?.retryAfterMs as number) > 0 && (replies[3]?.retryAfterMs as number) <= 1000,
    );
    const history = await call(server.url, 'GET', `/api/room/${roomId}/messages`);
    assert.equal(history.body.filter((m: { type: string }) => m.type === 'chat').length, 3);
    await a.close();
  });

  it('caps connections per user with close code 4429', async () => {
    const bob = await signup(server.url);
    const one = await TestClient.connect(server.wsUrl, { token: bob.token });
    const two = await TestClient.connect(server.wsUrl, { token: bob.token });
    const three = await TestClient.connect(server.wsUrl, { token: bob.token });
    assert.equal(await three.closed, 4429);
    assert.equal(three.frames[0]?.code, 'too_many_connections');
    await one.close();
    const four = await TestClient.connect(server.wsUrl, { token: bob.token });
    assert.equal((await four.next()).type, 'welcome', 'a freed slot can be used again');
    await Promise.all([two.close(), four.close()]);
  });

  it('caps rooms per connection', async () => {
    const carol = await signup(server.url);
    const rooms = [];
    for (let i = 0; i < 3; i++) rooms.push(await createRoom(server.url, carol.token));
    const c = await TestClient.connect(server.wsUrl, { token: carol.token });
    await c.request({ type: 'join', roomId: rooms[0] });
    await c.request({ type: 'join', roomId: rooms[1] });
    const third = await c.request({ type: 'join', roomId: rooms[2] });
    assert.equal(third.code, 'too_many_rooms');
    await c.close();
  });
});
