import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import { Cluster } from '../support/cluster.js';
import { call, createRoom, signup } from '../support/http.js';
import { skipUnless } from '../support/services.js';
import { waitUntil } from '../support/wait.js';
import { WebhookReceiver } from '../support/webhook-receiver.js';
import { TestClient } from '../support/ws-client.js';

const SECRET = 'a-webhook-secret-for-cluster-tests';
const NOTIFY_AFTER_MS = 300;

describe('anti-spam on a 2-node cluster (PostgreSQL + Redis)', {
  skip: skipUnless('DATABASE_URL', 'REDIS_URL'),
}, () => {
  let cluster: Cluster;
  let receiver: WebhookReceiver;

  before(async () => {
    receiver = await WebhookReceiver.start(SECRET);
    cluster = await Cluster.start({
      nodes: 2,
      env: {
        RATE_LIMITS: 'on',
        // One message in 10 s, 3 at once: the burst test holds however slow the machine.
        MESSAGE_RATE: '0.1',
        MESSAGE_BURST: '3',
        LOGIN_RATE: '2/1m',
        DENIED_DOMAINS: 'spam.example',
        NOTIFY_WEBHOOK_URL: receiver.url,
        NOTIFY_WEBHOOK_SECRET: SECRET,
        NOTIFY_AFTER: `${NOTIFY_AFTER_MS}ms`,
      },
    });
  });
  after(async () => {
    await cluster.stop();
    await receiver.close();
  });

  const node = (i: number) => cluster.nodes[i] as (typeof cluster.nodes)[number];

  it('counts a burst across both nodes: the fourth message is rate limited', async () => {
    const user = await signup(node(0).url);
    const roomId = await createRoom(node(0).url, user.token);
    const a = await TestClient.connect(node(0).wsUrl, { token: user.token });
    const b = await TestClient.connect(node(1).wsUrl, { token: user.token });
    await a.request({ type: 'join', roomId });
    await b.request({ type: 'join', roomId });
    // Distinct ids: a resend of one id would rightly get its first ack instead.
    const replies = [
      await a.request({ type: 'send', roomId, message: '1', id: 'm-1' }),
      await b.request({ type: 'send', roomId, message: '2', id: 'm-2' }),
      await a.request({ type: 'send', roomId, message: '3', id: 'm-3' }),
      await b.request({ type: 'send', roomId, message: '4', id: 'm-4' }),
    ];
    assert.deepEqual(
      replies.map((r) => r.type === 'ack' || r.code),
      [true, true, true, 'rate_limited'],
    );
    assert.ok((replies[3]?.retryAfterMs as number) > 0);
    await Promise.all([a.close(), b.close()]);
  });

  it('counts failed logins across both nodes', async () => {
    const user = await signup(node(0).url);
    const login = (i: number, password: string) =>
      call(node(i).url, 'POST', '/api/login', { body: { username: user.name, password } });
    assert.equal((await login(0, 'wrong password')).status, 401);
    assert.equal((await login(1, 'wrong password')).status, 401);
    const refused = await login(0, 'correct horse');
    assert.equal(refused.status, 429);
    assert.equal(refused.body.error.code, 'rate_limited');
  });

  it('applies the content rules on every node', async () => {
    const user = await signup(node(1).url);
    const roomId = await createRoom(node(1).url, user.token);
    const client = await TestClient.connect(node(1).wsUrl, { token: user.token });
    await client.request({ type: 'join', roomId });
    const refused = await client.request({ type: 'send', roomId, message: 'www.spam.example' });
    assert.equal(refused.code, 'message_rejected');
    await client.request({ type: 'send', roomId, message: 'oh shit' });
    const [masked] = await client.messages(roomId, 1);
    assert.equal(masked?.message, 'oh ****');
    await client.close();
  });

  it('notifies an away member once, whichever nodes stored the messages', async () => {
    const alice = await signup(node(0).url, 'alice');
    const bob = await signup(node(0).url, 'bob');
    const roomId = await createRoom(node(0).url, alice.token, { visibility: 'private' });
    await call(node(0).url, 'POST', `/api/room/${roomId}/members`, {
      token: alice.token,
      body: { username: bob.name },
    });
    const a = await TestClient.connect(node(0).wsUrl, { token: alice.token });
    const b = await TestClient.connect(node(1).wsUrl, { token: alice.token });
    await a.request({ type: 'join', roomId });
    await b.request({ type: 'join', roomId });
    await a.request({ type: 'send', roomId, message: 'from node 1' });
    await b.request({ type: 'send', roomId, message: 'from node 2' });
    const calls = () => receiver.calls.filter((c) => c.body.user.id === bob.id);
    await waitUntil('the webhook call', () => calls().length > 0);
    // A negative: both nodes' checks run NOTIFY_AFTER after their message; give them several times that.
    await delay(NOTIFY_AFTER_MS * 5);
    assert.equal(calls().length, 1, 'one call for the cluster');
    assert.equal(calls()[0]?.signed, true);
    await Promise.all([a.close(), b.close()]);
  });
});
