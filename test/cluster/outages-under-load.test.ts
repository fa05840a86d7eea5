import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { deleteQueues } from '../support/amqp.js';
import { startBotWorker } from '../support/bot-worker.js';
import { Chatter } from '../support/chatter.js';
import { Cluster, readHistory } from '../support/cluster.js';
import { call, createRoom, signup } from '../support/http.js';
import type { ConfabProcess } from '../support/server.js';
import { RUN_ID, skipUnless } from '../support/services.js';
import { TcpProxy } from '../support/tcp-proxy.js';
import { waitUntil } from '../support/wait.js';
import { TestClient } from '../support/ws-client.js';

/** Users chatting at once, spread over the nodes, one send in flight each. */
const CHATTERS = 6;
/** Acked sends before the fault, and again after recovery, that show the load runs. */
const WARM = 60;
/** Shortest outage: long enough for every node to notice and fall into its reconnect back-off. */
const MIN_OUTAGE_MS = 2_000;

const health = async (node: ConfabProcess) => (await call(node.url, 'GET', '/api/healthz')).body;

/** The service's URL with its host and port replaced by the proxy's. */
function viaProxy(url: string, proxy: TcpProxy): string {
  const u = new URL(url);
  u.host = `127.0.0.1:${proxy.port}`;
  return u.href;
}

function proxyFor(url: string, defaultPort: number): Promise<TcpProxy> {
  const u = new URL(url);
  return TcpProxy.start(Number(u.port || defaultPort), u.hostname);
}

interface Outcome {
  ackedBefore: number;
  ackedDuring: number;
  ackedAfter: number;
  errors: Record<string, number>;
  duplicatesDropped: number;
  reconnects: number;
  stored: number;
}

/**
 * Chatters talk on every node; `fault` cuts the service, which stays out for
 * MIN_OUTAGE_MS at least and until `down` holds, then comes back. Then: every
 * error was one of `allowed`, every acked send is stored once at its seq,
 * every chatter was shown the room's whole history once each (deduplicating
 * by seq), and the nodes were never restarted.
 */
async function chatThrough(
  nodes: ConfabProcess[],
  proxy: TcpProxy,
  allowed: string[],
  down: () => Promise<boolean>,
): Promise<Outcome> {
  const pids = nodes.map((node) => node.child.pid);
  const owner = await signup((nodes[0] as ConfabProcess).url, 'load');
  const roomId = await createRoom((nodes[0] as ConfabProcess).url, owner.token);
  const chatters: Chatter[] = [];
  for (let i = 0; i < CHATTERS; i++) {
    const node = nodes[i % nodes.length] as ConfabProcess;
    const user = await signup(node.url, 'load');
    chatters.push(
      await Chatter.start({
        wsUrl: () => node.wsUrl,
        token: user.token,
        roomId,
        name: `c${i}`,
        replyTimeoutMs: 5_000,
      }),
    );
  }
  const acked = () => chatters.reduce((sum, c) => sum + c.acked.size, 0);
  await waitUntil('the load running', () => acked() >= WARM, 30_000);

  const ackedBefore = acked();
  const cutAt = Date.now();
  proxy.cut('reset');
  await waitUntil('the outage noticed', down, 20_000);
  // The length of the fault, not a wait for anything.
  await new Promise((resolve) =>
    setTimeout(resolve, Math.max(0, MIN_OUTAGE_MS - (Date.now() - cutAt))),
  );
  const ackedDuring = acked() - ackedBefore;
  proxy.restore();
  for (const node of nodes) {
    await waitUntil('healthz 200 again', async () => (await health(node)).status === 'ok', 30_000);
  }
  const restored = acked();
  await waitUntil('the load running again', () => acked() >= restored + WARM, 30_000);
  await Promise.all(chatters.map((c) => c.stop()));

  const history = await readHistory((nodes[0] as ConfabProcess).url, roomId);
  assert.deepEqual(
    history.map((m) => m.seq),
    Array.from({ length: history.length }, (_, i) => i + 1),
    'seqs gap-free',
  );
  const byClientId = new Map<string, number>();
  for (const m of history) {
    if (!m.clientId) continue;
    assert.ok(!byClientId.has(m.clientId), `${m.clientId} stored twice`);
    byClientId.set(m.clientId, m.seq);
  }
  const last = history.at(-1)?.seq ?? 0;
  const errors: Record<string, number> = {};
  for (const chatter of chatters) {
    for (const [id, seq] of chatter.acked) {
      assert.equal(byClientId.get(id), seq, `acked ${id} stored at its seq`);
    }
    for (const [code, count] of chatter.errors) errors[code] = (errors[code] ?? 0) + count;
    await chatter.caughtUp(last);
    const expected = history.filter((m) => m.seq > chatter.from);
    assert.deepEqual(
      [...chatter.shown].sort(([a], [b]) => a - b),
      expected.map((m) => [m.seq, m.clientId ?? '']),
      'shown each message once',
    );
    chatter.close();
  }
  for (const code of Object.keys(errors)) assert.ok(allowed.includes(code), `error ${code}`);
  assert.deepEqual(
    nodes.map((node) => [node.child.pid, node.child.exitCode]),
    pids.map((pid) => [pid, null]),
    'no node was restarted',
  );
  return {
    ackedBefore,
    ackedDuring,
    ackedAfter: acked() - ackedBefore - ackedDuring,
    errors,
    duplicatesDropped: chatters.reduce((sum, c) => sum + c.duplicates, 0),
    reconnects: chatters.reduce((sum, c) => sum + c.reconnects, 0),
    stored: history.length,
  };
}

function report(what: string, outcome: Outcome): void {
  process.stdout.write(`# ${what}: ${JSON.stringify(outcome)}\n`);
}

describe('outages under load (a proxy of the test’s own, cut and restored)', {
  skip: skipUnless('DATABASE_URL', 'REDIS_URL', 'AMQP_URL'),
}, () => {
  const cleanups: Array<() => Promise<void>> = [];
  after(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  it('Redis: sends keep being acked, the nodes catch up on recovery, nothing lost or shown twice', async () => {
    const proxy = await proxyFor(process.env.REDIS_URL as string, 6379);
    const cluster = await Cluster.start({
      nodes: 2,
      redisUrl: viaProxy(process.env.REDIS_URL as string, proxy),
    });
    cleanups.push(async () => {
      await cluster.stop();
      await proxy.close();
    });
    const outcome = await chatThrough(cluster.nodes, proxy, ['bus_unavailable'], async () => {
      for (const node of cluster.nodes) if ((await health(node)).bus !== 'down') return false;
      return true;
    });
    assert.ok(outcome.ackedDuring > 0, 'the store still takes messages while the bus is down');
    report('Redis', outcome);
  });

  it('PostgreSQL: sends refused with store_unavailable while down, resent and stored once after', async () => {
    const proxy = await proxyFor(process.env.DATABASE_URL as string, 5432);
    let cluster: Cluster | undefined;
    cleanups.push(async () => {
      await cluster?.stop();
      await proxy.close();
    });
    // The cluster's own database, reached through the proxy.
    cluster = await Cluster.start({ nodes: 0 });
    const through = viaProxy(cluster.database.url, proxy);
    for (let i = 0; i < 2; i++) await cluster.addNode({ DATABASE_URL: through });
    const outcome = await chatThrough(cluster.nodes, proxy, ['store_unavailable'], async () => {
      for (const node of cluster?.nodes ?? [])
        if ((await health(node)).store !== 'down') return false;
      return true;
    });
    assert.ok((outcome.errors.store_unavailable ?? 0) > 0, 'refusals while down');
    report('PostgreSQL', outcome);
  });

  it('RabbitMQ: chat goes on, commands time out while down, bots answer again after', async () => {
    const proxy = await proxyFor(process.env.AMQP_URL as string, 5672);
    const prefix = `${RUN_ID}.outage.`;
    const amqp = {
      AMQP_URL: viaProxy(process.env.AMQP_URL as string, proxy),
      AMQP_PREFIX: prefix,
    };
    const cluster = await Cluster.start({
      nodes: 2,
      env: { ...amqp, COMMAND_TIMEOUT: '1500ms' },
    });
    const bot = await startBotWorker(amqp);
    cleanups.push(async () => {
      await bot.kill();
      await cluster.stop();
      await proxy.close();
      await deleteQueues(process.env.AMQP_URL as string, prefix);
    });
    const node = cluster.nodes[0] as ConfabProcess;
    const asker = await signup(node.url, 'asker');
    const roomId = await createRoom(node.url, asker.token);
    const client = await TestClient.connect(node.wsUrl, { token: asker.token });
    await client.request({ type: 'join', roomId });
    /** Sends /time and returns the answer: the bot's message, or the error that came instead. */
    let asked = 0;
    const time = async () => {
      const id = `time-${++asked}`;
      const ack = await client.request({ type: 'send', roomId, message: '/time', id });
      assert.equal(ack.type, 'ack');
      return client.next(
        (f) =>
          (f.type === 'error' && f.id === id) ||
          (f.type === 'message' && (f.data as { type: string }).type === 'bot'),
        10_000,
      );
    };
    assert.equal((await time()).type, 'message', 'a bot answers before the outage');
    let timedOut = 0;
    const outcome = await chatThrough(cluster.nodes, proxy, [], async () => {
      const answer = await time();
      if (answer.type === 'error') {
        assert.equal(answer.code, 'command_timeout');
        timedOut++;
      }
      return timedOut > 0;
    });
    // Bots answer again once node and worker have reconnected.
    await waitUntil('a bot answering again', async () => (await time()).type === 'message', 30_000);
    report('RabbitMQ', { ...outcome, errors: { ...outcome.errors, command_timeout: timedOut } });
    await client.close();
  });
});
