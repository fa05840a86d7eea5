import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { Cluster } from '../support/cluster.js';
import { createRoom, signup } from '../support/http.js';
import type { ConfabProcess } from '../support/server.js';
import { skipUnless } from '../support/services.js';
import { TestClient } from '../support/ws-client.js';

/**
 * A commit whose answer never reached the node (the connection cut after
 * PostgreSQL committed, or a timeout with the COMMIT already sent): the
 * sender heard `store_unavailable`, the message is stored, and nobody was
 * sent it. The sender's resend under the same id must bring it to the room.
 */
describe('a message stored without its answer', {
  skip: skipUnless('DATABASE_URL', 'REDIS_URL'),
}, () => {
  let cluster: Cluster;
  let node: ConfabProcess;

  before(async () => {
    cluster = await Cluster.start({ nodes: 1 });
    node = cluster.nodes[0] as ConfabProcess;
  });
  after(() => cluster.stop());

  it('reaches the room when the sender resends it', async () => {
    const alice = await signup(node.url, 'lost');
    const bob = await signup(node.url, 'lost');
    const roomId = await createRoom(node.url, alice.token, { name: 'Lost answer' });
    const a = await TestClient.connect(node.wsUrl, { token: alice.token });
    const b = await TestClient.connect(node.wsUrl, { token: bob.token });
    await a.request({ type: 'join', roomId });
    await b.request({ type: 'join', roomId });

    // What the lost commit stored: the room's next seq and the message under it.
    const db = new pg.Client({ connectionString: cluster.database.url });
    await db.connect();
    const { rows } = await db
      .query(
        `with room as (update rooms set last_seq = last_seq + 1 where id = $1 returning last_seq)
         insert into messages (id, room_id, seq, member_id, member_name, type, body, client_id, sent_at)
         select $2, $1, room.last_seq, $3, $4, 'chat', 'stored, unanswered', 'c-1', $5 from room
         returning seq`,
        [roomId, crypto.randomUUID(), alice.id, alice.name, new Date().toISOString()],
      )
      .finally(() => db.end());
    const seq = (rows[0] as { seq: number }).seq;

    const ack = await a.request({ type: 'send', roomId, message: 'stored, unanswered', id: 'c-1' });
    assert.equal(ack.type, 'ack');
    assert.equal(ack.seq, seq, 'the first copy, not a second one');
    const shown = await b.next(
      (f) => f.type === 'message' && (f.data as { clientId?: string }).clientId === 'c-1',
    );
    assert.equal((shown.data as { seq: number }).seq, seq);
    await Promise.all([a.close(), b.close()]);
  });
});
