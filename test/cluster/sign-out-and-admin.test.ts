import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Cluster } from '../support/cluster.js';
import { finished } from '../support/confab-cli.js';
import { call, createRoom, signup } from '../support/http.js';
import { skipUnless } from '../support/services.js';
import { TestClient } from '../support/ws-client.js';

const CLOSE_TIMEOUT_MS = 15_000;

/** A connection that has had its welcome: the node counts it as open. */
async function connected(wsUrl: string, token?: string, path?: string): Promise<TestClient> {
  const client = await TestClient.connect(wsUrl, { token, path });
  if (path === undefined) await client.next((f) => f.type === 'welcome', 10_000);
  return client;
}

/** Resolves with the close code, failing if the socket stays open past the deadline. */
async function closedWithin(client: TestClient, ms = CLOSE_TIMEOUT_MS): Promise<number> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`still open after ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([client.closed, late]);
  } finally {
    clearTimeout(timer);
  }
}

async function stillOpen(client: TestClient): Promise<void> {
  const pong = await client.request({ type: 'ping' }, 10_000);
  assert.equal(pong.type, 'pong');
}

describe('sign-out and the admin commands close connections on every node', {
  skip: skipUnless('DATABASE_URL', 'REDIS_URL'),
}, () => {
  let cluster: Cluster;
  /** The admin command's settings: the cluster's store and Redis. */
  let adminEnv: Record<string, string>;
  const url = (i: number) => cluster.nodes[i]?.url as string;
  const wsUrl = (i: number) => cluster.nodes[i]?.wsUrl as string;

  before(async () => {
    cluster = await Cluster.start({ nodes: 2 });
    adminEnv = { ...cluster.env, LOG_LEVEL: 'warn' };
  });
  after(() => cluster.stop());

  it('POST /api/logout closes the user’s sockets on both nodes with 4401, and only theirs', async () => {
    const alice = await signup(url(0), 'alice');
    const bob = await signup(url(0), 'bob');
    const onFirst = await connected(wsUrl(0), alice.token);
    const onSecond = await connected(wsUrl(1), alice.token);
    const other = await connected(wsUrl(1), bob.token);

    const out = await call(url(0), 'POST', '/api/logout', { token: alice.token });
    assert.equal(out.status, 204);
    assert.equal(await closedWithin(onFirst), 4401);
    assert.equal(await closedWithin(onSecond), 4401);
    // The close is preceded by an error frame saying why.
    const said = onSecond.frames.find((f) => f.type === 'error');
    assert.equal(said?.code, 'unauthorized');
    assert.match(String(said?.message), /signed out/i);
    await stillOpen(other);
    // And the token is refused on the other node too.
    assert.equal((await call(url(1), 'GET', '/api/me', { token: alice.token })).status, 401);
    await other.close();
  });

  it('user ban: tokens refused and sockets closed on every node, logins refused, messages kept; unban', async () => {
    const carol = await signup(url(0), 'carol');
    const roomId = await createRoom(url(0), carol.token, { name: 'Kept' });
    const writer = await connected(wsUrl(0), carol.token);
    await writer.request({ type: 'join', roomId });
    const ack = await writer.request({ type: 'send', roomId, message: 'before the ban' });
    assert.equal(ack.type, 'ack');
    const elsewhere = await connected(wsUrl(1), carol.token);

    const ban = await finished(['user', 'ban', carol.name], adminEnv);
    assert.equal(ban.code, 0, ban.stderr);
    assert.match(ban.stdout, new RegExp(`^banned ${carol.name} ${carol.id}`));
    assert.equal(await closedWithin(writer), 4401);
    assert.equal(await closedWithin(elsewhere), 4401);
    for (const i of [0, 1]) {
      assert.equal((await call(url(i), 'GET', '/api/me', { token: carol.token })).status, 401);
    }
    const login = await call(url(1), 'POST', '/api/login', {
      body: { username: carol.name, password: 'correct horse' },
    });
    assert.equal(login.status, 403);
    assert.equal(login.body.error.code, 'account_banned');
    const wrong = await call(url(1), 'POST', '/api/login', {
      body: { username: carol.name, password: 'wrong password' },
    });
    assert.equal(wrong.body.error.code, 'invalid_credentials');
    const history = await call(url(1), 'GET', `/api/room/${roomId}/messages`);
    assert.ok(
      (history.body as Array<{ message: string }>).some((m) => m.message === 'before the ban'),
    );

    const unban = await finished(['user', 'unban', carol.id], adminEnv);
    assert.equal(unban.code, 0, unban.stderr);
    const again = await call(url(0), 'POST', '/api/login', {
      body: { username: carol.name, password: 'correct horse' },
    });
    assert.equal(again.status, 200);
    // Tokens from before the ban stay refused.
    assert.equal((await call(url(0), 'GET', '/api/me', { token: carol.token })).status, 401);

    const unknown = await finished(['user', 'ban', 'nobody-such'], adminEnv);
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /user_not_found/);
    assert.equal((await finished(['user', 'ban'], adminEnv)).code, 2);
  });

  it('user reset-password: the new password works, the old one and the old tokens do not', async () => {
    const dave = await signup(url(0), 'dave');
    const socket = await connected(wsUrl(1), dave.token);
    const reset = await finished(['user', 'reset-password', dave.name], {
      ...adminEnv,
      CONFAB_PASSWORD: 'a brand new one',
    });
    assert.equal(reset.code, 0, reset.stderr);
    assert.equal(await closedWithin(socket), 4401);
    const old = await call(url(0), 'POST', '/api/login', {
      body: { username: dave.name, password: 'correct horse' },
    });
    assert.equal(old.status, 401);
    const fresh = await call(url(0), 'POST', '/api/login', {
      body: { username: dave.name, password: 'a brand new one' },
    });
    assert.equal(fresh.status, 200);
    assert.equal((await call(url(1), 'GET', '/api/me', { token: dave.token })).status, 401);
    const short = await finished(['user', 'reset-password', dave.name], {
      ...adminEnv,
      CONFAB_PASSWORD: 'short',
    });
    assert.equal(short.code, 1);
    assert.match(short.stderr, /invalid_request/);
  });

  it('room delete: members on every node are told, /api/serve closes 4404, the room is gone', async () => {
    const owner = await signup(url(0), 'owner');
    const member = await signup(url(0), 'member');
    const privateRoom = await createRoom(url(0), owner.token, {
      name: 'Doomed',
      visibility: 'private',
    });
    const added = await call(url(0), 'POST', `/api/room/${privateRoom}/members`, {
      token: owner.token,
      body: { userId: member.id },
    });
    assert.equal(added.status, 204);
    const ownerSocket = await connected(wsUrl(0), owner.token);
    await ownerSocket.request({ type: 'join', roomId: privateRoom });
    // A member's connection on the other node that has not joined it is told too.
    const memberSocket = await connected(wsUrl(1), member.token);
    const stranger = await connected(wsUrl(1));
    const publicRoom = await createRoom(url(1), owner.token, { name: 'Also doomed' });
    const terminal = await TestClient.connect(wsUrl(1), { path: `/api/serve/${publicRoom}` });
    terminal.send('typed on a terminal');
    await terminal.next((f) => (f as { message?: string }).message === 'typed on a terminal');

    const deleted = await finished(['room', 'delete', privateRoom], adminEnv);
    assert.equal(deleted.code, 0, deleted.stderr);
    assert.match(deleted.stdout, /^deleted Doomed /);
    const told = (f: { type: string; roomId?: unknown }) =>
      f.type === 'room_deleted' && f.roomId === privateRoom;
    await ownerSocket.next(told, 15_000);
    await memberSocket.next(told, 15_000);
    const afterwards = await call(url(1), 'GET', `/api/room/${privateRoom}`, {
      token: owner.token,
    });
    assert.equal(afterwards.status, 404);
    assert.equal(afterwards.body.error.code, 'room_not_found');
    const rejoin = await ownerSocket.request({ type: 'join', roomId: privateRoom });
    assert.equal(rejoin.code, 'room_not_found');
    // A private room is not announced to those who could not see it.
    assert.ok(!stranger.frames.some(told));

    const gone = await finished(['room', 'delete', publicRoom], adminEnv);
    assert.equal(gone.code, 0, gone.stderr);
    assert.equal(await closedWithin(terminal), 4404);
    await stranger.next((f) => f.type === 'room_deleted' && f.roomId === publicRoom, 15_000);
    const listed = await call(url(0), 'GET', '/api/rooms');
    assert.ok(!(listed.body as Array<{ roomId: string }>).some((r) => r.roomId === publicRoom));

    const twice = await finished(['room', 'delete', publicRoom], adminEnv);
    assert.equal(twice.code, 1);
    assert.match(twice.stderr, /room_not_found/);
    await Promise.all([ownerSocket.close(), memberSocket.close(), stranger.close()]);
  });
});
