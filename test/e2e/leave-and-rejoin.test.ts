import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { call, createRoom } from '../support/http.js';
import { createTestDatabase, type TestDatabase } from '../support/postgres.js';
import { type ConfabProcess, removeDataDir, startConfab } from '../support/server.js';
import { skipUnless } from '../support/services.js';
import { TestClient } from '../support/ws-client.js';

/** Rounds at most, and the time they may take: without the fix, about 1 round in 15 lost its message on PostgreSQL. */
const ROUNDS = 100;
const BUDGET_MS = 40_000;

/**
 * One user, two tabs: the first leaves and closes without waiting for the
 * leave's reply, and as soon as it is closed the second joins the same room
 * and speaks (the benchmark's `flat` case, as the same user). The leave was
 * sent first, so it must be applied first: the second tab stays in the room
 * and gets its own message. (Applied the other way round, the leave ended the
 * membership the second tab had just joined into, and its message was lost.)
 */
function leaveThenJoin(name: string, env: () => Record<string, string>): void {
  describe(`a leave in one tab and a join in another (${name})`, () => {
    let server: ConfabProcess;
    before(async () => {
      server = await startConfab(env());
    });
    after(async () => {
      await server.stop();
      removeDataDir(server);
    });

    it('leaves the later tab in the room, receiving its own messages', async () => {
      const guest = await call(server.url, 'POST', '/api/guest');
      const token = guest.body.token as string;
      const roomId = await createRoom(server.url, token);
      const failures: string[] = [];
      const started = Date.now();
      let rounds = 0;
      for (; rounds < ROUNDS && Date.now() - started < BUDGET_MS; rounds++) {
        const first = await TestClient.connect(server.wsUrl, { token });
        await first.request({ type: 'join', roomId });
        const second = await TestClient.connect(server.wsUrl, { token });
        // The leave is not waited for, but the close is: the leave reached the server before it.
        first.send({ type: 'leave', roomId });
        await first.close();
        const joined = await second.request({ type: 'join', roomId });
        if (joined.type !== 'joined') failures.push(`join ${rounds}: ${JSON.stringify(joined)}`);
        const id = `m${rounds}`;
        const ack = await second.request({ type: 'send', roomId, message: id, id });
        if (ack.type !== 'ack') failures.push(`${id}: ${JSON.stringify(ack)}`);
        else {
          await second
            .next(
              (f) => f.type === 'message' && (f.data as { clientId?: string }).clientId === id,
              3_000,
            )
            .catch(() => failures.push(`${id}: own copy never came`));
        }
        await second.request({ type: 'leave', roomId });
        await second.close();
      }
      assert.deepEqual(failures, [], `${failures.length} of ${rounds} rounds lost the message`);
    });
  });
}

leaveThenJoin('SQLite', () => ({}));

describe('on PostgreSQL', { skip: skipUnless('DATABASE_URL') }, () => {
  let database: TestDatabase;
  before(async () => {
    database = await createTestDatabase('rejoin');
  });
  after(() => database.drop());
  leaveThenJoin('PostgreSQL', () => ({ DATABASE_URL: database.url, JWT_SECRET: 'x'.repeat(32) }));
});
