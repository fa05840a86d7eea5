import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Cluster, readHistory } from '../support/cluster.js';
import { call, createRoom, signup } from '../support/http.js';
import type { ConfabProcess } from '../support/server.js';
import { skipUnless } from '../support/services.js';
import { waitUntil } from '../support/wait.js';
import { type Frame, TestClient } from '../support/ws-client.js';

const PRESENCE_TTL = 3;
const PER_WRITER = 120;

interface Seen {
  seq: number;
  id: string;
}

/**
 * A client that does what a real one should when its node dies: reconnect to
 * another node, join again with `since` (the last seq it saw), and resend what
 * was not acknowledged, under the same id.
 */
class ResilientClient {
  readonly seen: Seen[] = [];
  readonly acked = new Map<string, Frame>();
  reconnects = 0;
  private client!: TestClient;
  private node!: ConfabProcess;

  constructor(
    private readonly live: () => ConfabProcess[],
    private readonly token: string,
    private readonly roomId: string,
  ) {}

  async connect(node: ConfabProcess): Promise<void> {
    this.node = node;
    this.client = await TestClient.connect(node.wsUrl, { token: this.token });
    const since = this.seen.at(-1)?.seq ?? 0;
    this.client.ws.on('message', (data) => {
      const frame = JSON.parse(data.toString()) as Frame;
      if (frame.type !== 'message') return;
      const { seq, id } = frame.data as Seen;
      this.seen.push({ seq, id });
    });
    await this.client.request({ type: 'join', roomId: this.roomId, since });
  }

  /** Sends until `count` messages are acked, moving to a live node when its own dies. */
  async write(name: string, count: number, onAck: () => void): Promise<void> {
    let i = 0;
    while (this.acked.size < count) {
      const id = `${name}-${i}`;
      try {
        const ack = await this.client.request({
          type: 'send',
          roomId: this.roomId,
          message: id,
          id,
        });
        assert.equal(ack.type, 'ack', JSON.stringify(ack));
        this.acked.set(id, ack);
        i += 1;
        onAck();
      } catch (err) {
        if (this.client.closeCode === undefined) throw err;
        await this.failOver();
      }
    }
  }

  /** Waits until this client has seen everything up to `lastSeq`, reconnecting if its node died. */
  async readUpTo(lastSeq: number): Promise<void> {
    await waitUntil(`seq ${lastSeq}`, async () => {
      if (this.client.closeCode !== undefined) await this.failOver();
      return (this.seen.at(-1)?.seq ?? 0) >= lastSeq;
    });
  }

  close(): Promise<number> {
    return this.client.close();
  }

  private async failOver(): Promise<void> {
    this.reconnects += 1;
    const others = this.live().filter((node) => node !== this.node);
    await this.connect(others[this.reconnects % others.length] as ConfabProcess);
  }
}

describe('a node killed under load', { skip: skipUnless('DATABASE_URL', 'REDIS_URL') }, () => {
  let cluster: Cluster;

  before(async () => {
    cluster = await Cluster.start({ nodes: 3, env: { PRESENCE_TTL: String(PRESENCE_TTL) } });
  });
  after(() => cluster.stop());

  it('loses nothing acked: its clients resume on other nodes with since, and its users go offline within PRESENCE_TTL', async () => {
    const [node0, node1, victim] = cluster.nodes as [ConfabProcess, ConfabProcess, ConfabProcess];
    const live = () =>
      cluster.nodes.filter(
        (node) => node.child.exitCode === null && node.child.signalCode === null,
      );
    const owner = await signup(node0.url, 'owner');
    const roomId = await createRoom(node0.url, owner.token, { name: 'Crash' });

    // Readers and writers on every node; the victim's clients must move.
    const homes = [node0, node1, victim, victim];
    const users = await Promise.all(homes.map((node) => signup(node.url, 'crash')));
    const clients = users.map((user) => new ResilientClient(live, user.token, roomId));
    await Promise.all(clients.map((client, i) => client.connect(homes[i] as ConfabProcess)));
    // One more user on the victim only, who never comes back.
    const idle = await signup(victim.url, 'idle');
    const idleClient = await TestClient.connect(victim.wsUrl, { token: idle.token });
    await idleClient.request({ type: 'join', roomId });
    const online = async () => {
      const detail = await call(node0.url, 'GET', `/api/room/${roomId}`, { token: owner.token });
      return detail.body.members.find((m: { id: string }) => m.id === idle.id).online as boolean;
    };
    assert.equal(await online(), true);

    let acks = 0;
    let killed: Promise<void> | undefined;
    let killedAt = 0;
    const onAck = () => {
      acks += 1;
      if (acks === PER_WRITER && !killed) {
        killedAt = Date.now();
        killed = victim.kill();
      }
    };
    await Promise.all(clients.map((client, i) => client.write(`w${i}`, PER_WRITER, onAck)));
    await killed;
    assert.ok(killedAt > 0, 'the victim was killed under load');
    assert.ok(clients[2]!.reconnects > 0 && clients[3]!.reconnects > 0, 'its clients moved');

    // History: 1..N, each acked message once, at its acked seq; each id stored once.
    const history = await readHistory(node1.url, roomId);
    const lastSeq = history.length;
    assert.deepEqual(
      history.map((m) => m.seq),
      Array.from({ length: lastSeq }, (_, i) => i + 1),
    );
    const byId = new Map(history.map((m) => [m.id, m]));
    for (const client of clients) {
      for (const ack of client.acked.values())
        assert.equal(byId.get(ack.messageId as string)?.seq, ack.seq);
    }
    const clientIds = history.flatMap((m) => (m.clientId ? [m.clientId] : []));
    assert.equal(new Set(clientIds).size, clientIds.length, 'no id stored twice');
    assert.equal(clientIds.length, clients.length * PER_WRITER);

    // Every client, the moved ones included, saw the room's whole sequence once, in order.
    for (const client of clients) {
      await client.readUpTo(lastSeq);
      const from = client.seen[0]!.seq;
      assert.deepEqual(
        client.seen.map((m) => m.seq),
        Array.from({ length: lastSeq - from + 1 }, (_, i) => from + i),
      );
      assert.deepEqual(
        client.seen.map((m) => m.id),
        history.slice(from - 1).map((m) => m.id),
      );
    }

    // The crashed node's users drop out of presence within the TTL.
    await waitUntil(
      'the idle user offline',
      async () => !(await online()),
      (PRESENCE_TTL + 2) * 1000,
      100,
    );
    const offlineAfter = Date.now() - killedAt;
    // Entries expire at most PRESENCE_TTL after the last refresh, which was before the kill;
    // the second on top is this poll's own slack (an HTTP round trip every 100 ms on a busy machine).
    assert.ok(offlineAfter <= (PRESENCE_TTL + 1) * 1000, `offline after ${offlineAfter} ms`);
    process.stdout.write(
      `# crash: ${lastSeq} messages, idle user offline ${offlineAfter} ms after the kill\n`,
    );
    await Promise.all(clients.map((client) => client.close()));
  });
});
