import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import WebSocket from 'ws';
import { backoffDelay } from '../../web/src/net/backoff.js';
import { Cluster, readHistory } from '../support/cluster.js';
import { createRoom, signup } from '../support/http.js';
import type { ConfabProcess } from '../support/server.js';
import { skipUnless } from '../support/services.js';
import { waitUntil } from '../support/wait.js';

const ROOMS = 3;
/** 10 a node at first: with jitter over 250 ms, 10 reconnects all within 100 ms is a 0.2% chance. */
const CLIENTS = 30;
/** Each client sends one message this often while connected: 60 messages a second in all. */
const SEND_EVERY_MS = 500;
/** Deadlines sized for a loaded two-core machine running three nodes, PostgreSQL and Redis. */
const ROUND_TIMEOUT_MS = 90_000;
const BUCKET_MS = 100;

/**
 * A chat client as the shipped ones behave (web/src/net/chat-socket.ts and
 * src/cli/chat.ts): after a close it waits `backoffDelay` (the web client's
 * own function; the terminal client uses the same formula), reconnects to
 * a node the load balancer offers, joins with `since` (the last seq it
 * showed), and resends what was not acknowledged under the same id. It
 * records every gap or repeat it would show, and when its reconnects land.
 */
class LoadClient {
  /** The last seq shown, contiguous from the first join's `lastSeq`. */
  lastSeq: number | undefined;
  /** Seqs that did not follow the last one shown: a gap (or a repeat) a person would see. */
  readonly gaps: string[] = [];
  readonly acked = new Map<string, number>();
  readonly pending = new Map<string, string>();
  readonly closeCodes: number[] = [];
  /** When each reconnect after a 1012 was welcomed (ms since the epoch). */
  readonly reconnectedAt: number[] = [];
  ready = false;
  private ws: WebSocket | undefined;
  private attempt = 0;
  private afterRestart = false;
  private sent = 0;
  private stopped = false;
  private readonly ticker: NodeJS.Timeout;

  constructor(
    readonly name: string,
    private readonly token: string,
    readonly roomId: string,
    private readonly pickNode: () => ConfabProcess,
  ) {
    this.ticker = setInterval(() => this.sendOne(), SEND_EVERY_MS);
  }

  connect(): void {
    if (this.stopped) return;
    const ws = new WebSocket(
      `${this.pickNode().wsUrl}/api/ws?token=${encodeURIComponent(this.token)}`,
    );
    this.ws = ws;
    ws.on('error', () => undefined); // a refused connect ends in 'close' too
    ws.on('message', (data) => this.receive(JSON.parse(data.toString())));
    ws.on('close', (code) => {
      if (this.ws !== ws) return;
      this.ready = false;
      this.closeCodes.push(code);
      if (code === 1012) this.afterRestart = true;
      if (this.stopped) return;
      setTimeout(() => this.connect(), backoffDelay(this.attempt++));
    });
  }

  /** Stops sending; the socket stays until `close`. */
  stopSending(): void {
    clearInterval(this.ticker);
  }

  close(): void {
    this.stopped = true;
    clearInterval(this.ticker);
    this.ws?.close();
  }

  private receive(frame: Record<string, any>): void {
    switch (frame.type) {
      case 'welcome': {
        this.attempt = 0;
        if (this.afterRestart) this.reconnectedAt.push(Date.now());
        this.afterRestart = false;
        const since = this.lastSeq === undefined ? {} : { since: this.lastSeq };
        this.send({ type: 'join', id: 'join', roomId: this.roomId, ...since });
        // Frames of a connection are handled in order: these follow the join.
        for (const [id, text] of this.pending) this.sendFrame(id, text);
        return;
      }
      case 'joined':
        this.lastSeq ??= frame.lastSeq;
        this.ready = true;
        return;
      case 'message': {
        const { seq } = frame.data as { seq: number };
        if (this.lastSeq === undefined) return; // before the first join's answer: not shown
        if (seq !== this.lastSeq + 1) this.gaps.push(`${this.lastSeq} then ${seq}`);
        this.lastSeq = Math.max(this.lastSeq, seq);
        return;
      }
      case 'ack':
        if (this.pending.delete(frame.id)) this.acked.set(frame.id, frame.seq);
        return;
      case 'error':
        // shutting_down: the draining node stored nothing; it goes again after the reconnect.
        if (frame.code !== 'shutting_down' && this.pending.has(frame.id)) {
          this.gaps.push(`send ${frame.id} refused: ${frame.code}`);
          this.pending.delete(frame.id);
        }
        return;
      default:
    }
  }

  private sendOne(): void {
    if (!this.ready) return;
    const id = `${this.name}-${++this.sent}`;
    this.pending.set(id, id);
    this.sendFrame(id, id);
  }

  private sendFrame(id: string, text: string): void {
    this.send({ type: 'send', id, roomId: this.roomId, message: text });
  }

  private send(frame: Record<string, unknown>): void {
    if (this.ws?.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify(frame));
  }
}

/** Reconnect arrivals per 100 ms from the first: `[3, 5, 4]` reads 3 in the first 100 ms, ... */
function perBucket(times: number[]): number[] {
  if (times.length === 0) return [];
  const first = Math.min(...times);
  const buckets: number[] = [];
  for (const t of times) {
    const i = Math.floor((t - first) / BUCKET_MS);
    for (let j = buckets.length; j <= i; j++) buckets[j] = 0;
    buckets[i] = (buckets[i] ?? 0) + 1;
  }
  return buckets;
}

describe('a rolling restart of a 3-node cluster under chat load', {
  skip: skipUnless('DATABASE_URL', 'REDIS_URL'),
}, () => {
  let cluster: Cluster;
  /** What the load balancer offers: the nodes up and not draining. */
  let live: ConfabProcess[] = [];
  const clients: LoadClient[] = [];

  before(async () => {
    cluster = await Cluster.start({ nodes: 3 });
    live = [...cluster.nodes];
  });
  after(async () => {
    for (const client of clients) client.close();
    await cluster.stop();
  });

  it('loses no acked message, shows no gap on resume, and spreads the reconnects', async (t) => {
    const owner = await signup(live[0]?.url as string, 'owner');
    const rooms: string[] = [];
    for (let r = 0; r < ROOMS; r++) {
      rooms.push(await createRoom(live[0]?.url as string, owner.token, { name: `Rolling ${r}` }));
    }
    let next = 0;
    const pickNode = () => live[next++ % live.length] as ConfabProcess;
    for (let c = 0; c < CLIENTS; c++) {
      const user = await signup(live[0]?.url as string, `load${c}`);
      const client = new LoadClient(`c${c}`, user.token, rooms[c % ROOMS] as string, pickNode);
      clients.push(client);
      client.connect();
    }
    await waitUntil('every client joined', () => clients.every((c) => c.ready), ROUND_TIMEOUT_MS);

    const totalAcked = () => clients.reduce((n, c) => n + c.acked.size, 0);
    const report: string[] = [];
    for (let round = 0; round < 3; round++) {
      const node = cluster.nodes[round] as ConfabProcess;
      // Traffic flows before each restart: every client has had a send acked since the last round.
      const before = clients.map((c) => c.acked.size);
      await waitUntil(
        'traffic before the restart',
        () => clients.every((c, i) => c.acked.size > (before[i] as number)),
        ROUND_TIMEOUT_MS,
      );
      const reconnectsBefore = clients.map((c) => c.reconnectedAt.length);
      // The load balancer stops offering the node (its readyz turns 503), then it gets SIGTERM.
      live = live.filter((n) => n !== node);
      const exitCode = await node.stop();
      assert.equal(exitCode, 0, `node ${round} drained and exited 0`);
      // The clients it served reconnect elsewhere and resume; then a fresh node takes its place.
      await waitUntil('every client back', () => clients.every((c) => c.ready), ROUND_TIMEOUT_MS);
      const arrivals = clients.flatMap((c, i) => c.reconnectedAt.slice(reconnectsBefore[i]));
      const buckets = perBucket(arrivals);
      report.push(
        `round ${round + 1}: ${arrivals.length} reconnects after 1012, per ${BUCKET_MS} ms: [${buckets.join(', ')}]`,
      );
      assert.ok(arrivals.length > 0, 'the drained node had clients');
      if (arrivals.length > 1) {
        assert.ok(
          buckets.filter((n) => n > 0).length > 1,
          `the reconnects all came within one ${BUCKET_MS} ms: ${buckets.join(', ')}`,
        );
      }
      live.push(await cluster.addNode());
    }

    // The load stops; every send is answered, and every client has shown everything.
    for (const client of clients) client.stopSending();
    await waitUntil(
      'every send acked',
      () => clients.every((c) => c.pending.size === 0),
      ROUND_TIMEOUT_MS,
    );
    const histories = new Map<string, Array<{ seq: number; clientId?: string }>>();
    for (const roomId of rooms) {
      histories.set(roomId, await readHistory(live[0]?.url as string, roomId));
    }
    await waitUntil(
      'every client caught up',
      () => clients.every((c) => c.lastSeq === histories.get(c.roomId)?.at(-1)?.seq),
      ROUND_TIMEOUT_MS,
    );

    for (const client of clients) {
      assert.deepEqual(client.gaps, [], `${client.name} showed a gap or a repeat`);
      const stored = new Map(
        (histories.get(client.roomId) ?? [])
          .filter((m) => m.clientId?.startsWith(`${client.name}-`))
          .map((m) => [m.clientId as string, m.seq]),
      );
      for (const [id, seq] of client.acked) {
        assert.equal(stored.get(id), seq, `acked ${id} (seq ${seq}) is stored under that seq`);
      }
    }
    for (const [roomId, history] of histories) {
      history.forEach((m, i) => {
        assert.equal(m.seq, i + 1, `room ${roomId}: seqs 1, 2, 3… with no gap`);
      });
    }
    const drained = clients.flatMap((c) => c.closeCodes).filter((code) => code === 1012).length;
    const summary = `${totalAcked()} messages acked across ${ROOMS} rooms; ${drained} connections closed with 1012`;
    t.diagnostic(summary);
    for (const line of report) t.diagnostic(line);
    process.stdout.write(`# ${summary}\n${report.map((l) => `# ${l}`).join('\n')}\n`);
  });
});
