import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { call, createRoom, signup } from '../support/http.js';
import { removeDataDir, restartConfab, startConfab } from '../support/server.js';
import { TestClient } from '../support/ws-client.js';

describe('durability', () => {
  it('keeps history and accounts across a restart', async () => {
    const first = await startConfab();
    const alice = await signup(first.url);
    const roomId = await createRoom(first.url, alice.token, { name: 'Kept' });
    const a = await TestClient.connect(first.wsUrl, { token: alice.token });
    await a.request({ type: 'join', roomId });
    await a.request({ type: 'send', roomId, message: 'remember me' });
    await a.close();
    assert.equal(await first.stop(), 0, 'SIGTERM exits cleanly');

    const second = await restartConfab(first);
    try {
      const history = await call(second.url, 'GET', `/api/room/${roomId}/messages`);
      assert.deepEqual(
        history.body.map((m: { seq: number; message: string }) => [m.seq, m.message]),
        [
          [1, `${alice.name} joined the room`],
          [2, 'remember me'],
        ],
      );
      const login = await call(second.url, 'POST', '/api/login', {
        body: { username: alice.name, password: 'correct horse' },
      });
      assert.equal(login.status, 200);
      const again = await TestClient.connect(second.wsUrl, { token: alice.token });
      assert.equal((await again.next()).type, 'welcome', 'tokens outlive the restart');
      await again.close();
    } finally {
      await second.stop();
      removeDataDir(second);
    }
  });

  it('loses no acknowledged message to a kill -9, and seqs stay gap-free', async () => {
    const first = await startConfab();
    const alice = await signup(first.url);
    const roomId = await createRoom(first.url, alice.token);
    const a = await TestClient.connect(first.wsUrl, { token: alice.token });
    await a.request({ type: 'join', roomId });
    for (let i = 0; i < 2_000; i++) a.send({ type: 'send', roomId, message: `k${i}`, id: `k${i}` });
    await a.next((f) => f.type === 'ack' && f.id === 'k100', 10_000);
    await first.kill();
    await a.closed;
    const acked = a.frames.filter((f) => f.type === 'ack').map((f) => f.id as string);
    assert.ok(acked.length >= 101);

    const second = await restartConfab(first);
    try {
      const stored: Array<{ seq: number; clientId?: string }> = [];
      for (let after = 0; ; ) {
        const page = await call(
          second.url,
          'GET',
          `/api/room/${roomId}/messages?after=${after}&limit=200`,
        );
        stored.push(...page.body);
        if (page.body.length < 200) break;
        after = page.body.at(-1).seq;
      }
      const storedIds = new Set(stored.map((m) => m.clientId));
      const lost = acked.filter((id) => !storedIds.has(id));
      assert.deepEqual(lost, [], 'every acked message is stored');
      assert.deepEqual(
        stored.map((m) => m.seq),
        Array.from({ length: stored.length }, (_, i) => i + 1),
      );
    } finally {
      await second.stop();
      removeDataDir(second);
    }
  });

  it('says "service restart" (1012) to connected clients on SIGTERM', async () => {
    const server = await startConfab();
    const client = await TestClient.connect(server.wsUrl);
    await client.next((f) => f.type === 'welcome');
    const [code, exit] = await Promise.all([client.closed, server.stop()]);
    assert.equal(code, 1012);
    assert.equal(exit, 0);
    removeDataDir(server);
  });
});
