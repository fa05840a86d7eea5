import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { call, createRoom, signup } from '../support/http.js';
import { removeDataDir, startConfab } from '../support/server.js';
import { TestClient } from '../support/ws-client.js';

/** One sample's value from Prometheus text, by its name and labels as printed. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('/metrics', () => {
  it('shows connections, messages stored, delivered and their latency, and errors by code', async () => {
    const server = await startConfab();
    try {
      const alice = await signup(server.url);
      const bob = await signup(server.url);
      const roomId = await createRoom(server.url, alice.token);
      const a = await TestClient.connect(server.wsUrl, { token: alice.token });
      const b = await TestClient.connect(server.wsUrl, { token: bob.token });
      await a.request({ type: 'join', roomId });
      await b.request({ type: 'join', roomId });
      for (let i = 0; i < 3; i++) {
        assert.equal((await a.request({ type: 'send', roomId, message: `m${i}` })).type, 'ack');
      }
      await b.messages(roomId, 3);
      const refused = await a.request({ type: 'send', roomId: 'nowhere', message: 'x' });
      assert.equal(refused.code, 'room_not_found');
      assert.equal((await call(server.url, 'GET', '/api/room/nowhere')).status, 404);

      const answer = await fetch(`${server.url}/metrics`);
      assert.equal(answer.status, 200);
      assert.match(answer.headers.get('content-type') ?? '', /^text\/plain/);
      const text = await answer.text();
      assert.equal(sample(text, 'confab_connections'), 2);
      assert.equal(sample(text, 'confab_room_subscriptions'), 2);
      // 3 chat messages and 2 "joined" notices.
      assert.equal(sample(text, 'confab_messages_stored_total'), 5);
      // Each chat message to both connections, and bob's "joined" to alice (bob subscribes after it).
      assert.equal(sample(text, 'confab_messages_delivered_total'), 7);
      assert.ok((sample(text, 'confab_delivery_latency_seconds_count') ?? 0) >= 4);
      assert.equal(sample(text, 'confab_frames_received_total{type="send"}'), 4);
      assert.equal(sample(text, 'confab_errors_total{code="room_not_found"}'), 2);
      assert.ok(
        (sample(text, 'confab_store_latency_seconds_count{op="append",outcome="ok"}') ?? 0) >= 3,
      );
      assert.ok(
        (sample(text, 'confab_bus_latency_seconds_count{op="publish",outcome="ok"}') ?? 0) >= 3,
      );
      assert.match(text, /^process_cpu_user_seconds_total /m);
      assert.match(text, /^nodejs_eventloop_lag_seconds /m);
      await a.close();
      await b.close();
    } finally {
      await server.stop();
      removeDataDir(server);
    }
  });

  it('is not served with METRICS=off', async () => {
    const server = await startConfab({ METRICS: 'off' });
    try {
      assert.equal((await call(server.url, 'GET', '/metrics')).status, 404);
    } finally {
      await server.stop();
      removeDataDir(server);
    }
  });
});
