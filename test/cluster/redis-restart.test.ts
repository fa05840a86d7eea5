import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Cluster } from '../support/cluster.js';
import { call, createRoom, signup } from '../support/http.js';
import { OwnRedis } from '../support/redis.js';
import type { ConfabProcess } from '../support/server.js';
import { skipUnless } from '../support/services.js';
import { waitUntil } from '../support/wait.js';
import { TestClient } from '../support/ws-client.js';

const health = async (node: ConfabProcess) => (await call(node.url, 'GET', '/api/healthz')).body;

describe('Redis restarted under a running cluster', { skip: skipUnless('DATABASE_URL') }, () => {
  let redis: OwnRedis;
  let cluster: Cluster;

  before(async () => {
    redis = await OwnRedis.start();
    cluster = await Cluster.start({ nodes: 2, redisUrl: redis.url });
  });
  after(async () => {
    await cluster.stop();
    await redis.stop();
  });

  it('keeps acking sends, reports the bus down, then resubscribes and pushes the gap to open connections', async () => {
    const [nodeA, nodeB] = cluster.nodes as [ConfabProcess, ConfabProcess];
    const alice = await signup(nodeA.url, 'redis');
    const bob = await signup(nodeB.url, 'redis');
    const roomId = await createRoom(nodeA.url, alice.token, { name: 'Outage' });
    const a = await TestClient.connect(nodeA.wsUrl, { token: alice.token });
    const b = await TestClient.connect(nodeB.wsUrl, { token: bob.token });
    const start = (await a.request({ type: 'join', roomId })).lastSeq as number;
    const startB = (await b.request({ type: 'join', roomId })).lastSeq as number;
    await b.request({ type: 'send', roomId, message: 'before', id: 'before' });
    await a.messages(roomId, 2); // bob's joined notice, then "before", across the bus

    await redis.stop();
    const stoppedAt = Date.now();
    for (const node of [nodeA, nodeB]) {
      const report = await waitUntil('healthz 503', async () => {
        const body = await health(node);
        return body.status === 'unavailable' && body;
      });
      assert.deepEqual(report, { status: 'unavailable', store: 'ok', bus: 'down' });
    }

    // Sends on both nodes are answered within 2 s: stored in PostgreSQL, so acked.
    const during: number[] = [];
    const sendDuringOutage = async (client: TestClient, who: string) => {
      for (let i = 0; i < 3; i++) {
        const sent = Date.now();
        const ack = await client.request({
          type: 'send',
          roomId,
          message: `${who} ${i}`,
          id: `${who}-out-${i}`,
        });
        assert.ok(Date.now() - sent < 2_000, `answered after ${Date.now() - sent} ms`);
        assert.equal(ack.type, 'ack', JSON.stringify(ack));
        during.push(ack.seq as number);
      }
    };
    await sendDuringOutage(a, 'alice');
    // Alice's node fills the gap before its own messages from the store: wait for that to settle.
    await a.messages(roomId, 3);
    await sendDuringOutage(b, 'bob');
    // Bob's last three never crossed: nothing reaches Alice's node until Redis is back.
    const bobsLast = during.slice(-3);

    // An outage of a second at least, so that the nodes are in their reconnect back-off
    // (the length of the fault, not a wait for anything).
    await new Promise((resolve) =>
      setTimeout(resolve, Math.max(0, 1_000 - (Date.now() - stoppedAt))),
    );
    await redis.start();
    for (const node of [nodeA, nodeB]) {
      assert.deepEqual(
        await waitUntil('healthz 200', async () => {
          const body = await health(node);
          return body.status === 'ok' && body;
        }),
        { status: 'ok', store: 'ok', bus: 'ok' },
      );
    }

    // Both connections stayed open and got every message once, in order, with
    // nothing sent since the outage: the nodes pushed the gap on their own.
    const seqsOf = (client: TestClient) =>
      client.frames.filter((f) => f.type === 'message').map((f) => (f.data as { seq: number }).seq);
    const expect = async (client: TestClient, from: number, last: number) => {
      const expected = Array.from({ length: last - from }, (_, i) => from + 1 + i);
      await waitUntil('the whole sequence', () => seqsOf(client).length >= expected.length).catch(
        (err) => {
          throw new Error(`${err.message}: saw ${seqsOf(client)}, expected ${expected}`);
        },
      );
      assert.deepEqual(seqsOf(client), expected);
      assert.equal(client.closeCode, undefined, 'the connection stayed open');
    };
    const lastDuring = Math.max(...during);
    assert.deepEqual(bobsLast, [lastDuring - 2, lastDuring - 1, lastDuring]);
    await expect(a, start, lastDuring);
    await expect(b, startB, lastDuring);

    // And live delivery works again across the nodes.
    const afterwards = await a.request({ type: 'send', roomId, message: 'after', id: 'after' });
    assert.equal(afterwards.seq, lastDuring + 1);
    await expect(a, start, lastDuring + 1);
    await expect(b, startB, lastDuring + 1);

    // Presence came back too: the refresh after the outage re-created both entries.
    await waitUntil('both online again', async () => {
      const detail = await call(nodeB.url, 'GET', `/api/room/${roomId}`, { token: bob.token });
      return detail.body.members.every((m: { online: boolean }) => m.online);
    });
    await Promise.all([a.close(), b.close()]);
  });
});
