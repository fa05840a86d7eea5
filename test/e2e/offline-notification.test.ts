import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import { call, createRoom, signup } from '../support/http.js';
import { type ConfabProcess, removeDataDir, startConfab } from '../support/server.js';
import { waitUntil } from '../support/wait.js';
import { WebhookReceiver } from '../support/webhook-receiver.js';
import { TestClient } from '../support/ws-client.js';

const SECRET = 'a-webhook-secret-for-tests';
const NOTIFY_AFTER_MS = 300;

describe('offline notification by webhook', () => {
  let server: ConfabProcess;
  let receiver: WebhookReceiver;

  before(async () => {
    receiver = await WebhookReceiver.start(SECRET);
    server = await startConfab({
      NOTIFY_WEBHOOK_URL: receiver.url,
      NOTIFY_WEBHOOK_SECRET: SECRET,
      NOTIFY_AFTER: `${NOTIFY_AFTER_MS}ms`,
    });
  });
  after(async () => {
    await server.stop();
    removeDataDir(server);
    await receiver.close();
  });

  /** Alice, connected and joined to a new room where away-Bob is a member; Bob never connected. */
  async function roomWithAwayBob(visibility: 'private' | 'public') {
    const alice = await signup(server.url, 'alice');
    const bob = await signup(server.url, 'bob');
    const roomId = await createRoom(server.url, alice.token, {
      name: `r-${visibility}`,
      visibility,
    });
    const added = await call(server.url, 'POST', `/api/room/${roomId}/members`, {
      token: alice.token,
      body: { username: bob.name },
    });
    assert.equal(added.status, 204);
    const client = await TestClient.connect(server.wsUrl, { token: alice.token });
    await client.request({ type: 'join', roomId });
    return { alice, bob, roomId, client };
  }

  const callsFor = (userId: string) => receiver.calls.filter((c) => c.body.user.id === userId);

  it('tells an away member once per room, signed, until they connect again', async () => {
    const { bob, roomId, client } = await roomWithAwayBob('private');
    const sentAt = Date.now();
    await client.request({ type: 'send', roomId, message: 'hello bob' });
    const [first] = await waitUntil('the webhook call', () => {
      const calls = callsFor(bob.id);
      return calls.length > 0 && calls;
    });
    assert.ok(Date.now() - sentAt >= NOTIFY_AFTER_MS, 'not before NOTIFY_AFTER');
    assert.equal(first?.signed, true, 'X-Confab-Signature is the HMAC of the body');
    assert.equal(first?.body.type, 'message.unread');
    assert.deepEqual(first?.body.user, { id: bob.id, name: bob.name });
    assert.deepEqual(first?.body.room, { roomId, roomName: 'r-private' });
    assert.equal(first?.body.message.message, 'hello bob');
    assert.equal(first?.body.unread, 1);

    await client.request({ type: 'send', roomId, message: 'still there?' });
    // A negative: the second message's check runs NOTIFY_AFTER later; give it several times that.
    await delay(NOTIFY_AFTER_MS * 5);
    assert.equal(callsFor(bob.id).length, 1, 'once per room until Bob comes back');

    const bobClient = await TestClient.connect(server.wsUrl, { token: bob.token });
    await bobClient.next((f) => f.type === 'welcome');
    await bobClient.close();
    await waitUntil('Bob to be offline again', async () => {
      const room = await call(server.url, 'GET', `/api/room/${roomId}`, { token: bob.token });
      return room.body.members.some(
        (m: { id: string; online: boolean }) => m.id === bob.id && !m.online,
      );
    });
    await client.request({ type: 'send', roomId, message: 'and now?' });
    const calls = await waitUntil('a call after Bob came and went', () => {
      const all = callsFor(bob.id);
      return all.length === 2 && all;
    });
    assert.equal(calls[1]?.body.message.message, 'and now?');
    assert.equal(calls[1]?.body.unread, 3);
    await client.close();
  });

  it('tells nobody about public rooms, nor a member who came back and read it', async () => {
    const away = await roomWithAwayBob('public');
    await away.client.request({ type: 'send', roomId: away.roomId, message: 'public news' });

    const { bob, roomId, client } = await roomWithAwayBob('private');
    const bobClient = await TestClient.connect(server.wsUrl, { token: bob.token });
    await bobClient.request({ type: 'join', roomId });
    await bobClient.close();
    const sent = await client.request({ type: 'send', roomId, message: 'read me' });
    // Bob reads it from another connection, then leaves before NOTIFY_AFTER is up.
    const reader = await TestClient.connect(server.wsUrl, { token: bob.token });
    await reader.request({ type: 'join', roomId });
    reader.send({ type: 'read', roomId, seq: sent.seq });
    await reader.request({ type: 'ping' });
    await reader.close();
    await delay(NOTIFY_AFTER_MS * 5);
    assert.equal(callsFor(away.bob.id).length, 0, 'public rooms never notify');
    assert.equal(callsFor(bob.id).length, 0, 'a member who read it is not told');
    await Promise.all([away.client.close(), client.close()]);
  });

  it("keeps to each member's level in the room: mentions only, or none", async () => {
    const { bob, roomId, client } = await roomWithAwayBob('private');
    const level = (token: string, value: string) =>
      call(server.url, 'PUT', `/api/room/${roomId}/notify`, { token, body: { level: value } });
    assert.equal((await level(bob.token, 'mentions')).status, 204);
    assert.equal((await level(bob.token, 'loud')).status, 400);
    const listed = await call(server.url, 'GET', '/api/rooms', { token: bob.token });
    assert.equal(
      listed.body.find((r: { roomId: string }) => r.roomId === roomId)?.notify,
      'mentions',
    );
    await client.request({ type: 'send', roomId, message: 'nothing for bob here' });
    await client.request({ type: 'send', roomId, message: `lunch, @${bob.name.toUpperCase()}?` });
    const [call1] = await waitUntil('the mention call', () => {
      const calls = callsFor(bob.id);
      return calls.length > 0 && calls;
    });
    assert.equal(call1?.body.message.message, `lunch, @${bob.name.toUpperCase()}?`);

    // None: nothing at all, mention or not (checked after the calls would have come).
    const other = await roomWithAwayBob('private');
    assert.equal((await level(other.bob.token, 'none')).status, 404, 'not his room');
    await call(server.url, 'PUT', `/api/room/${other.roomId}/notify`, {
      token: other.bob.token,
      body: { level: 'none' },
    });
    await other.client.request({
      type: 'send',
      roomId: other.roomId,
      message: `@${other.bob.name}`,
    });
    await delay(NOTIFY_AFTER_MS * 5);
    assert.equal(callsFor(other.bob.id).length, 0);
    await Promise.all([client.close(), other.client.close()]);
  });

  it('retries a failed call with backoff', async () => {
    const { bob, roomId, client } = await roomWithAwayBob('private');
    receiver.answers.push(503);
    await client.request({ type: 'send', roomId, message: 'try again' });
    const calls = await waitUntil(
      'the retried call',
      () => {
        const all = callsFor(bob.id);
        return all.length === 2 && all;
      },
      15_000,
    );
    assert.deepEqual(
      calls.map((c) => [c.signed, c.body.message.message]),
      [
        [true, 'try again'],
        [true, 'try again'],
      ],
    );
    await client.close();
  });
});
