import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import WebSocket from 'ws';
import { Cluster } from '../support/cluster.js';
import { call, createRoom, signup } from '../support/http.js';
import type { ConfabProcess } from '../support/server.js';
import { skipUnless } from '../support/services.js';
import { TcpProxy } from '../support/tcp-proxy.js';
import { waitUntil } from '../support/wait.js';
import { TestClient } from '../support/ws-client.js';

const health = async (node: ConfabProcess) => (await call(node.url, 'GET', '/api/healthz')).body;

describe('PostgreSQL out of reach of one node', {
  skip: skipUnless('DATABASE_URL', 'REDIS_URL'),
}, () => {
  let cluster: Cluster;
  let proxy: TcpProxy;
  let cutOff: ConfabProcess;
  let healthy: ConfabProcess;

  before(async () => {
    cluster = await Cluster.start({ nodes: 1 });
    healthy = cluster.nodes[0] as ConfabProcess;
    // The other node reaches the same database through a proxy of this test's own.
    const direct = new URL(cluster.database.url);
    proxy = await TcpProxy.start(Number(direct.port || 5432));
    direct.port = String(proxy.port);
    cutOff = await cluster.addNode({ DATABASE_URL: direct.toString() });
  });
  after(async () => {
    await cluster.stop();
    await proxy.close();
  });

  for (const how of ['reset', 'blackhole'] as const) {
    it(`refuses sends with store_unavailable, acks nothing unstored, and recovers (${how})`, async () => {
      const alice = await signup(cutOff.url, 'pg');
      const bob = await signup(healthy.url, 'pg');
      const roomId = await createRoom(healthy.url, bob.token, { name: `Cut ${how}` });
      const a = await TestClient.connect(cutOff.wsUrl, { token: alice.token });
      const b = await TestClient.connect(healthy.wsUrl, { token: bob.token });
      const start = (await b.request({ type: 'join', roomId })).lastSeq as number;
      await a.request({ type: 'join', roomId });
      await a.request({ type: 'send', roomId, message: 'before', id: 'before' });

      proxy.cut(how);
      const refused = ['lost-1', 'lost-2', 'lost-3'];
      let slowest = 0;
      for (const id of refused) {
        const sent = Date.now();
        const reply = await a.request({ type: 'send', roomId, message: id, id });
        const took = Date.now() - sent;
        slowest = Math.max(slowest, took);
        assert.ok(took < 2_000, `answered after ${took} ms`);
        assert.equal(reply.type, 'error');
        assert.equal(reply.code, 'store_unavailable');
      }
      assert.equal(
        a.frames.filter((f) => f.type === 'ack' && refused.includes(f.id as string)).length,
        0,
      );
      const report = await waitUntil('healthz 503', async () => {
        const body = await health(cutOff);
        return body.status === 'unavailable' && body;
      });
      assert.deepEqual(report, { status: 'unavailable', store: 'down', bus: 'ok' });
      assert.equal((await health(healthy)).status, 'ok', 'the other node is unaffected');

      // The rest of the cluster goes on, and the cut-off node still relays what the bus brings.
      const fromBob = await b.request({
        type: 'send',
        roomId,
        message: 'meanwhile',
        id: 'meanwhile',
      });
      assert.equal(fromBob.type, 'ack');
      const meanwhile = await a.next(
        (f) => f.type === 'message' && (f.data as { message: string }).message === 'meanwhile',
      );
      assert.equal((meanwhile.data as { seq: number }).seq, fromBob.seq);

      // A token cannot be checked against a store that does not answer: no verdict on it.
      const connecting = new WebSocket(
        `${cutOff.wsUrl}/api/ws?token=${encodeURIComponent(alice.token)}`,
      );
      const received: Array<Record<string, unknown>> = [];
      connecting.on('message', (data) => received.push(JSON.parse(data.toString())));
      const closeCode = await new Promise<number>((resolve) =>
        connecting.once('close', (code) => resolve(code)),
      );
      assert.equal(closeCode, 4001, 'reconnect later, not 4401 (log in again)');
      assert.equal(received[0]?.code, 'store_unavailable', JSON.stringify(received));
      const me = await call(cutOff.url, 'GET', '/api/me', { token: alice.token });
      assert.equal(me.status, 503);
      assert.equal(me.body.error.code, 'store_unavailable');

      proxy.restore();
      await waitUntil('healthz 200', async () => (await health(cutOff)).status === 'ok');

      // No phantom: nothing refused was stored.
      const history = await call(healthy.url, 'GET', `/api/room/${roomId}/messages?limit=200`);
      assert.deepEqual(
        history.body.filter((m: { clientId?: string }) => refused.includes(m.clientId ?? '')),
        [],
      );
      // The client resends what was refused, under the same ids: stored once each, in order.
      const acks = [];
      for (const id of refused)
        acks.push(await a.request({ type: 'send', roomId, message: id, id }));
      assert.deepEqual(
        acks.map((ack) => ack.type),
        ['ack', 'ack', 'ack'],
      );
      assert.deepEqual(
        acks.map((ack) => ack.seq),
        [(fromBob.seq as number) + 1, (fromBob.seq as number) + 2, (fromBob.seq as number) + 3],
      );
      const again = await a.request({ type: 'send', roomId, message: 'lost-1', id: 'lost-1' });
      assert.deepEqual(again, acks[0]);
      // Bob saw the room once and in order: joined, before, meanwhile, then the three resent.
      const last = acks[2]?.seq as number;
      const seen = await b.messages(roomId, last - start);
      assert.deepEqual(
        seen.map((m) => m.seq),
        Array.from({ length: last - start }, (_, i) => start + 1 + i),
      );
      assert.deepEqual(
        seen.slice(-3).map((m) => m.clientId),
        refused,
      );
      process.stdout.write(`# postgres ${how}: refusals answered within ${slowest} ms\n`);
      await Promise.all([a.close(), b.close()]);
    });
  }
});
