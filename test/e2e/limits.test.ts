import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import WebSocket from 'ws';
import { call, createRoom, signup } from '../support/http.js';
import { type ConfabProcess, removeDataDir, startConfab } from '../support/server.js';
import { waitUntil } from '../support/wait.js';
import { type Frame, TestClient } from '../support/ws-client.js';

/** A request as if from `address` (the server trusts X-Forwarded-For here). */
async function from(
  server: ConfabProcess,
  address: string,
  method: string,
  path: string,
  body?: unknown,
) {
  const response = await fetch(`${server.url}${path}`, {
    method,
    headers: {
      'x-forwarded-for': address,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return {
    status: response.status,
    body: text ? JSON.parse(text) : undefined,
    headers: response.headers,
  };
}

describe('count limits', () => {
  let server: ConfabProcess;

  before(async () => {
    server = await startConfab({
      RATE_LIMITS: 'on',
      TRUST_PROXY: 'true',
      MESSAGE_RATE: '1',
      MESSAGE_BURST: '2',
      JOIN_RATE: '3/1m',
      TYPING_RATE: '2/1m',
      READ_RATE: '1/1s',
      LOGIN_RATE: '3/1m',
      ROOM_CREATE_RATE: '20/1m',
      GUEST_RATE: '3/1m',
    });
  });
  after(async () => {
    await server.stop();
    removeDataDir(server);
  });

  it('limits room creation per address with 429 rate_limited and Retry-After', async () => {
    const answers = [];
    for (let i = 0; i < 21; i++) answers.push(await from(server, '10.0.0.7', 'POST', '/api/room'));
    assert.deepEqual(
      answers.slice(0, 20).map((a) => a.status),
      Array(20).fill(201),
    );
    const refused = answers[20];
    assert.equal(refused?.status, 429);
    assert.equal(refused?.body.error.code, 'rate_limited');
    assert.ok(refused?.body.error.retryAfterMs > 0);
    const retryAfter = Number(refused?.headers.get('retry-after'));
    assert.ok(retryAfter >= 1 && retryAfter <= 60, `Retry-After ${retryAfter}`);
    assert.equal((await from(server, '10.0.0.70', 'POST', '/api/room')).status, 201, 'per address');
  });

  it('limits guests per address, over HTTP and for WebSockets without a token', async () => {
    const statuses = [];
    for (let i = 0; i < 4; i++)
      statuses.push((await from(server, '10.0.0.8', 'POST', '/api/guest')).status);
    assert.deepEqual(statuses, [201, 201, 201, 429]);

    const open = (address: string) =>
      new Promise<{ frames: Frame[]; code: number; ws: WebSocket }>((resolve, reject) => {
        const ws = new WebSocket(`${server.wsUrl}/api/ws`, {
          headers: { 'x-forwarded-for': address },
        });
        const frames: Frame[] = [];
        ws.on('message', (data) => {
          frames.push(JSON.parse(data.toString()));
          if (frames[0]?.type === 'welcome') resolve({ frames, code: 0, ws });
        });
        ws.on('close', (code) => resolve({ frames, code, ws }));
        ws.on('error', reject);
      });
    const sockets = [];
    for (let i = 0; i < 3; i++) sockets.push(await open('10.0.0.9'));
    assert.deepEqual(
      sockets.map((s) => s.frames[0]?.type),
      ['welcome', 'welcome', 'welcome'],
    );
    const refused = await open('10.0.0.9');
    assert.equal(refused.code, 4429);
    assert.equal(refused.frames[0]?.code, 'rate_limited');
    assert.ok((refused.frames[0]?.retryAfterMs as number) > 0);
    for (const socket of sockets) socket.ws.close();
  });

  it('limits failed logins per username and per address, refusing before the password is checked', async () => {
    const victim = await signup(server.url, 'victim');
    const login = (address: string, username: string, password: string) =>
      from(server, address, 'POST', '/api/login', { username, password });
    for (let i = 0; i < 3; i++) {
      assert.equal((await login('10.0.1.1', victim.name, 'wrong password')).status, 401);
    }
    const right = await login('10.0.1.1', victim.name, 'correct horse');
    assert.equal(right.status, 429, 'even the right password is refused while limited');
    assert.equal(right.body.error.code, 'rate_limited');
    assert.ok(Number(right.headers.get('retry-after')) >= 1);
    assert.equal(
      (await login('10.0.1.2', victim.name, 'correct horse')).status,
      429,
      'the username is limited from every address',
    );

    const other = await signup(server.url, 'other');
    for (let i = 0; i < 3; i++) {
      assert.equal(
        (await login('10.0.1.3', `nobody${i}x${process.pid}`, 'wrong password')).status,
        401,
      );
    }
    assert.equal(
      (await login('10.0.1.3', other.name, 'correct horse')).status,
      429,
      'the address is limited for every username',
    );
    assert.equal((await login('10.0.1.4', other.name, 'correct horse')).status, 200);
  });

  it('counts concurrent logins before any password is checked, and successful ones not at all', async () => {
    const target = await signup(server.url, 'burst');
    const login = (address: string, password: string) =>
      from(server, address, 'POST', '/api/login', { username: target.name, password });
    // 30 at once: counted after the check, all 30 passed it before the first failure counted.
    const burst = await Promise.all(
      Array.from({ length: 30 }, () => login('10.0.1.5', 'wrong password')),
    );
    const statuses = burst.map((answer) => answer.status);
    assert.equal(statuses.filter((s) => s === 401).length, 3, `passwords checked: ${statuses}`);
    assert.equal(statuses.filter((s) => s === 429).length, 27);

    const regular = await signup(server.url, 'regular');
    for (let i = 0; i < 5; i++) {
      const answer = await from(server, '10.0.1.6', 'POST', '/api/login', {
        username: regular.name,
        password: 'correct horse',
      });
      assert.equal(answer.status, 200, `login ${i + 1} of 5 with LOGIN_RATE 3`);
    }
  });

  it('limits joins that add a membership, not re-joins or leaves', async () => {
    const owner = await signup(server.url);
    const rooms = [];
    for (let i = 0; i < 4; i++) rooms.push(await createRoom(server.url, owner.token));
    const joiner = await signup(server.url);
    const client = await TestClient.connect(server.wsUrl, { token: joiner.token });
    for (const roomId of rooms.slice(0, 3)) {
      assert.equal((await client.request({ type: 'join', roomId })).type, 'joined');
    }
    const refused = await client.request({ type: 'join', roomId: rooms[3] });
    assert.equal(refused.code, 'rate_limited');
    assert.ok((refused.retryAfterMs as number) > 0);
    assert.equal((await client.request({ type: 'join', roomId: rooms[0] })).type, 'joined');
    assert.equal((await client.request({ type: 'leave', roomId: rooms[0] })).type, 'left');
    const history = await call(server.url, 'GET', `/api/room/${rooms[3]}/messages`);
    assert.equal(history.body.length, 1, 'no notice stored for the refused join');
    await client.close();
  });

  it('drops typing frames over the limit quietly, keeping the connection open', async () => {
    const typer = await signup(server.url);
    const watcher = await signup(server.url);
    const roomId = await createRoom(server.url, typer.token);
    const t = await TestClient.connect(server.wsUrl, { token: typer.token });
    const w = await TestClient.connect(server.wsUrl, { token: watcher.token });
    await t.request({ type: 'join', roomId });
    await w.request({ type: 'join', roomId });
    for (let i = 0; i < 10; i++) t.send({ type: 'typing', roomId });
    assert.equal((await t.request({ type: 'send', roomId, message: 'done typing' })).type, 'ack');
    await w.next(
      (f) => f.type === 'message' && (f.data as { message: string }).message === 'done typing',
    );
    assert.equal(w.frames.filter((f) => f.type === 'typing').length, 2);
    assert.equal(t.frames.filter((f) => f.type === 'error').length, 0, 'dropped without a word');
    assert.equal((await t.request({ type: 'ping' })).type, 'pong');
    await Promise.all([t.close(), w.close()]);
  });

  it('writes the newest read marker once a flood of read frames is over the limit', async () => {
    const reader = await signup(server.url);
    const writer = await signup(server.url);
    const roomId = await createRoom(server.url, writer.token);
    const r = await TestClient.connect(server.wsUrl, { token: reader.token });
    const w = await TestClient.connect(server.wsUrl, { token: writer.token });
    await r.request({ type: 'join', roomId });
    await w.request({ type: 'send', roomId, message: 'one' });
    const last = await w.request({ type: 'send', roomId, message: 'two' });
    await r.messages(roomId, 2);
    const unread = async () =>
      (await call(server.url, 'GET', '/api/rooms', { token: reader.token })).body.find(
        (room: { roomId: string }) => room.roomId === roomId,
      ).unread as number;
    assert.equal(await unread(), 2);
    for (let seq = 1; seq <= Number(last.seq); seq++) r.send({ type: 'read', roomId, seq });
    for (let i = 0; i < 30; i++) r.send({ type: 'read', roomId, seq: Number(last.seq) - 1 });
    assert.equal((await r.request({ type: 'ping' })).type, 'pong');
    await waitUntil(
      'the newest read marker to be written',
      async () => (await unread()) === 0,
      5_000,
    );
    await Promise.all([r.close(), w.close()]);
  });

  it('limits messages, yet answers a resend of a stored id with its first ack', async () => {
    const user = await signup(server.url);
    const roomId = await createRoom(server.url, user.token);
    const client = await TestClient.connect(server.wsUrl, { token: user.token });
    await client.request({ type: 'join', roomId });
    const first = await client.request({ type: 'send', roomId, message: 'a', id: 'c-1' });
    await client.request({ type: 'send', roomId, message: 'b', id: 'c-2' });
    const limited = await client.request({ type: 'send', roomId, message: 'c', id: 'c-3' });
    assert.equal(limited.code, 'rate_limited');
    const resent = await client.request({ type: 'send', roomId, message: 'a', id: 'c-1' });
    assert.deepEqual(
      { type: resent.type, seq: resent.seq, messageId: resent.messageId },
      { type: 'ack', seq: first.seq, messageId: first.messageId },
    );
    await client.close();
  });
});

describe('RATE_LIMITS=off', () => {
  let server: ConfabProcess;

  before(async () => {
    server = await startConfab({ RATE_LIMITS: 'off', ROOM_CREATE_RATE: '1/1m', MESSAGE_RATE: '1' });
  });
  after(async () => {
    await server.stop();
    removeDataDir(server);
  });

  it('lifts every count limit at once', async () => {
    const user = await signup(server.url);
    const rooms = await Promise.all(
      Array.from({ length: 5 }, () => call(server.url, 'POST', '/api/room', { token: user.token })),
    );
    assert.deepEqual(
      rooms.map((r) => r.status),
      Array(5).fill(201),
    );
    const client = await TestClient.connect(server.wsUrl, { token: user.token });
    const roomId = rooms[0]?.body.roomId;
    await client.request({ type: 'join', roomId });
    const replies = [];
    for (let i = 0; i < 10; i++)
      replies.push(await client.request({ type: 'send', roomId, message: `m${i}` }));
    assert.ok(replies.every((r) => r.type === 'ack'));
    await client.close();
  });
});
