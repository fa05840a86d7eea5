import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Cluster } from '../support/cluster.js';
import { call, createRoom, signup } from '../support/http.js';
import type { ConfabProcess } from '../support/server.js';
import { skipUnless } from '../support/services.js';
import { TcpProxy } from '../support/tcp-proxy.js';
import { waitUntil } from '../support/wait.js';
import { TestClient } from '../support/ws-client.js';

const health = async (node: ConfabProcess) => (await call(node.url, 'GET', '/api/healthz')).body;
const readiness = async (node: ConfabProcess) => {
  const answer = await call(node.url, 'GET', '/api/readyz');
  return { status: answer.status, body: answer.body };
};

describe('one node cut off from Redis', { skip: skipUnless('DATABASE_URL', 'REDIS_URL') }, () => {
  let cluster: Cluster;
  let proxy: TcpProxy;
  let cutOff: ConfabProcess;
  let healthy: ConfabProcess;

  before(async () => {
    cluster = await Cluster.start({ nodes: 1 });
    healthy = cluster.nodes[0] as ConfabProcess;
    // The other node reaches Redis through a proxy of this test's own; the rest of the
    // cluster (and everyone else sharing this Redis) keeps its connections.
    const direct = new URL(cluster.redisUrl);
    proxy = await TcpProxy.start(Number(direct.port || 6379));
    direct.port = String(proxy.port);
    cutOff = await cluster.addNode({ REDIS_URL: direct.toString() });
  });
  after(async () => {
    await cluster.stop();
    await proxy.close();
  });

  it('acks its sends meanwhile, and the other nodes get them once it is back, with nothing sent since', async () => {
    const alice = await signup(cutOff.url, 'part');
    const bob = await signup(healthy.url, 'part');
    const roomId = await createRoom(healthy.url, bob.token, { name: 'Partition' });
    const a = await TestClient.connect(cutOff.wsUrl, { token: alice.token });
    const b = await TestClient.connect(healthy.wsUrl, { token: bob.token });
    const start = (await b.request({ type: 'join', roomId })).lastSeq as number;
    await a.request({ type: 'join', roomId });
    await a.request({ type: 'send', roomId, message: 'before', id: 'before' });
    await b.messages(roomId, 2); // alice's joined notice and "before", across the bus

    proxy.cut('reset');
    await waitUntil('healthz 503', async () => (await health(cutOff)).status === 'unavailable');
    assert.equal((await health(healthy)).status, 'ok', 'the rest of the cluster is fine');
    // Not ready while its bus is down, so a load balancer sends new connections elsewhere.
    assert.deepEqual(await readiness(cutOff), {
      status: 503,
      body: { status: 'unavailable', store: 'ok', bus: 'down' },
    });
    assert.equal((await readiness(healthy)).status, 200);
    const acks = [];
    for (const id of ['cut-1', 'cut-2', 'cut-3']) {
      const sent = Date.now();
      acks.push(await a.request({ type: 'send', roomId, message: id, id }));
      assert.ok(Date.now() - sent < 2_000);
    }
    assert.deepEqual(
      acks.map((ack) => ack.type),
      ['ack', 'ack', 'ack'],
    );

    proxy.restore();
    await waitUntil('healthz 200', async () => (await health(cutOff)).status === 'ok');
    assert.deepEqual(await readiness(cutOff), {
      status: 200,
      body: { status: 'ready', store: 'ok', bus: 'ok' },
    });
    // Bob's node never lost Redis: it learns of the three only because alice's node
    // publishes the newest of them again once it is back, and then fills the gap.
    const last = acks[2]?.seq as number;
    const seen = await b.messages(roomId, last - start - 2);
    assert.deepEqual(
      seen.map((m) => m.message),
      ['cut-1', 'cut-2', 'cut-3'],
    );
    const all = b.frames
      .filter((f) => f.type === 'message')
      .map((f) => (f.data as { seq: number }).seq);
    assert.deepEqual(
      all,
      Array.from({ length: last - start }, (_, i) => start + 1 + i),
    );
    await Promise.all([a.close(), b.close()]);
  });
});
