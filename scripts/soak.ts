// A bounded soak run, outside CI, for docs/reliability.md: users chat without
// pause while connections drop and reconnect, slow readers stall, a fuzzer
// sends generated frames, and faults are injected one after another; the
// servers' memory is sampled throughout. At the end every acked message is
// looked up in the store and every user's view is compared with it.
//
//   npm run build
//   node --import tsx scripts/soak.ts --mode embedded --minutes 10   (minutes of load, after the setup)
//   DATABASE_URL=… REDIS_URL=… AMQP_URL=… node --import tsx scripts/soak.ts --mode cluster
//
// embedded: one node on SQLite; faults are kill -9 and SIGTERM, each followed
// by a restart on the same data folder. cluster: three nodes on a PostgreSQL
// database of the run's own, Redis and RabbitMQ (under prefixes of its own)
// and a bot worker, each service behind a TCP proxy of the run's own; faults
// cut Redis, PostgreSQL or RabbitMQ for FAULT_SECONDS, or kill -9 or SIGTERM
// one node and start it again. The shared services are never stopped.
// Writes soak-<mode>.json and soak-<mode>.svg to --out.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import fc from 'fast-check';
import WebSocket from 'ws';
import { lineChart } from '../bench/report/charts.js';
import { ERROR_CODES } from '../src/protocol/errors.js';
import { clientFrame, rawText } from '../test/fuzz/frame-arbitraries.js';
import { deleteQueues } from '../test/support/amqp.js';
import { type BotWorkerProcess, startBotWorker } from '../test/support/bot-worker.js';
import { Chatter } from '../test/support/chatter.js';
import { Cluster, readHistory } from '../test/support/cluster.js';
import { call, createRoom, signup } from '../test/support/http.js';
import { type ConfabProcess, removeDataDir, startConfab } from '../test/support/server.js';
import { RUN_ID } from '../test/support/services.js';
import { TcpProxy } from '../test/support/tcp-proxy.js';

const { values } = parseArgs({
  options: {
    mode: { type: 'string', default: 'embedded' },
    minutes: { type: 'string', default: '10' },
    chatters: { type: 'string', default: '12' },
    rooms: { type: 'string', default: '4' },
    interval: { type: 'string', default: '50' },
    'fault-every': { type: 'string', default: '30' },
    out: { type: 'string', default: 'soak-results' },
  },
});
const MODE = values.mode === 'cluster' ? 'cluster' : 'embedded';
const RUN_MS = Number(values.minutes) * 60_000;
const CHATTERS = Number(values.chatters);
const ROOMS = Number(values.rooms);
const FAULT_EVERY_MS = Number(values['fault-every']) * 1000;
const FAULT_SECONDS = 3;
/** Small, so that a stalled reader is cut after a few MiB (the kernel's buffers take the rest). */
const SEND_QUEUE_BYTES = 256 * 1024;
const KNOWN = new Set<string>(ERROR_CODES);
const started = Date.now();
const elapsed = () => (Date.now() - started) / 1000;
const say = (text: string) => process.stdout.write(`[${elapsed().toFixed(0)}s] ${text}\n`);
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// Hard bound: the whole run, setup and checks included (the setup's signups
// alone take minutes on a loaded machine).
setTimeout(
  () => {
    console.error('soak: over its time bound');
    process.exit(2);
  },
  RUN_MS + 15 * 60_000,
).unref();

interface Target {
  /** Nodes running now. */
  live(): ConfabProcess[];
  /** Each node's current process, by position, running or not: a restart keeps the position. */
  positions(): ConfabProcess[];
  faults: Array<{ name: string; inject(): Promise<void> }>;
  stop(): Promise<void>;
}

const NODE_ENV = {
  RATE_LIMITS: 'off',
  SEND_QUEUE_BYTES: String(SEND_QUEUE_BYTES),
};

/** Restarts `node` on its port and data folder after `how`; returns the new process. */
async function restart(
  node: ConfabProcess,
  how: 'kill' | 'stop',
  env: Record<string, string>,
): Promise<ConfabProcess> {
  if (how === 'kill') await node.kill();
  else await node.stop();
  return startConfab({ ...env, PORT: String(node.port), DATA_DIR: node.dataDir });
}

async function embedded(): Promise<Target> {
  let node = await startConfab(NODE_ENV);
  const first = node;
  const again = (how: 'kill' | 'stop') => async () => {
    node = await restart(node, how, NODE_ENV);
  };
  return {
    live: () => (node.child.exitCode === null ? [node] : []),
    positions: () => [node],
    faults: [
      { name: 'kill -9 and restart', inject: again('kill') },
      { name: 'SIGTERM and restart', inject: again('stop') },
    ],
    async stop() {
      await node.stop();
      removeDataDir(first);
    },
  };
}

function viaProxy(url: string, proxy: TcpProxy): string {
  const u = new URL(url);
  u.host = `127.0.0.1:${proxy.port}`;
  return u.href;
}

async function proxyFor(variable: string, defaultPort: number): Promise<TcpProxy> {
  const url = process.env[variable];
  if (!url) throw new Error(`--mode cluster needs ${variable}`);
  const u = new URL(url);
  return TcpProxy.start(Number(u.port || defaultPort), u.hostname);
}

async function cluster(): Promise<Target> {
  const pg = await proxyFor('DATABASE_URL', 5432);
  const redis = await proxyFor('REDIS_URL', 6379);
  const amqp = await proxyFor('AMQP_URL', 5672);
  const prefix = `${RUN_ID}.soak.`;
  const amqpEnv = { AMQP_URL: viaProxy(process.env.AMQP_URL as string, amqp), AMQP_PREFIX: prefix };
  const nodes = await Cluster.start({
    nodes: 0,
    redisUrl: viaProxy(process.env.REDIS_URL as string, redis),
    env: { ...NODE_ENV, ...amqpEnv, COMMAND_TIMEOUT: '2s' },
  });
  const own = { DATABASE_URL: viaProxy(nodes.database.url, pg) };
  for (let i = 0; i < 3; i++) await nodes.addNode(own);
  const bot: BotWorkerProcess = await startBotWorker(amqpEnv);
  const healthy = async () => {
    for (const node of nodes.nodes.filter((n) => n.child.exitCode === null)) {
      const deadline = Date.now() + 60_000;
      while ((await call(node.url, 'GET', '/api/healthz').catch(() => undefined))?.status !== 200) {
        if (Date.now() > deadline) throw new Error(`${node.url} not healthy again`);
        await pause(200);
      }
    }
  };
  const cut = (proxy: TcpProxy) => async () => {
    proxy.cut('reset');
    await pause(FAULT_SECONDS * 1000);
    proxy.restore();
    await healthy();
  };
  let victim = 0;
  const again = (how: 'kill' | 'stop') => async () => {
    const i = victim++ % nodes.nodes.length;
    const old = nodes.nodes[i] as ConfabProcess;
    // The same port and data folder (Cluster.stop removes it at the end).
    nodes.nodes[i] = await restart(old, how, { ...nodes.env, ...own });
  };
  return {
    live: () => nodes.nodes.filter((n) => n.child.exitCode === null),
    positions: () => nodes.nodes,
    faults: [
      { name: 'Redis cut', inject: cut(redis) },
      { name: 'PostgreSQL cut', inject: cut(pg) },
      { name: 'RabbitMQ cut', inject: cut(amqp) },
      { name: 'kill -9 of a node and restart', inject: again('kill') },
      { name: 'SIGTERM of a node and restart', inject: again('stop') },
    ],
    async stop() {
      await bot.kill();
      await nodes.stop();
      for (const proxy of [pg, redis, amqp]) await proxy.close();
      await deleteQueues(process.env.AMQP_URL as string, prefix);
    },
  };
}

const target = MODE === 'cluster' ? await cluster() : await embedded();
let picked = 0;
const anyNode = (): ConfabProcess => {
  const live = target.live();
  if (live.length === 0) throw new Error('no node running');
  return live[picked++ % live.length] as ConfabProcess;
};
const anyWsUrl = () => {
  const live = target.live();
  // While the only node restarts, an address that refuses: the client backs off and tries again.
  return live.length === 0
    ? 'ws://127.0.0.1:9'
    : (live[picked++ % live.length] as ConfabProcess).wsUrl;
};

// Users, rooms, chatters.
const firstUrl = anyNode().url;
const owner = await signup(firstUrl, 'soak');
const rooms: string[] = [];
for (let i = 0; i < ROOMS; i++) rooms.push(await createRoom(firstUrl, owner.token));
const chatters: Chatter[] = [];
for (let i = 0; i < CHATTERS; i++) {
  const user = await signup(firstUrl, 'soak');
  chatters.push(
    await Chatter.start({
      wsUrl: anyWsUrl,
      token: user.token,
      roomId: rooms[i % ROOMS] as string,
      name: `soak${i}`,
      intervalMs: Number(values.interval),
    }),
  );
}
say(`${MODE}: ${target.live().length} node(s), ${CHATTERS} users chatting in ${ROOMS} rooms`);
// --minutes counts from here: the setup's time, which load on the machine stretches, is not load.
const loadStarted = Date.now();

let stopping = false;
const figures = {
  faults: {} as Record<string, number>,
  drops: 0,
  slowReaders: { started: 0, cut: {} as Record<string, number> },
  fuzz: { frames: 0, codedErrors: 0, unknownCodes: 0, unanswered: 0, reconnects: 0 },
  peakConnections: 0,
};
let openSockets = 0;
const countOpen = (ws: WebSocket) => {
  openSockets++;
  figures.peakConnections = Math.max(figures.peakConnections, openSockets + CHATTERS);
  ws.once('close', () => openSockets--);
};

// Memory, every 2 s, per node position (not per running node: while one is down, the
// others would shift into its line).
const rss: Array<{ label: string; points: Array<[number, number]> }> = [];
const sampler = setInterval(() => {
  target.positions().forEach((node, i) => {
    if (node.child.exitCode !== null) return;
    try {
      const kb = Number(
        /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${node.child.pid}/status`, 'utf8'))?.[1],
      );
      // An exiting process has no VmRSS line: no point rather than NaN, which breaks the chart.
      if (!Number.isFinite(kb)) return;
      if (!rss[i]) rss[i] = { label: `node ${i + 1}`, points: [] };
      rss[i]?.points.push([elapsed() / 60, kb / 1024]);
    } catch {
      // the node is restarting
    }
  });
}, 2_000);

// Network drops: a random user's connection is cut every 5 s; it reconnects and resumes.
const dropper = setInterval(() => {
  (chatters[Math.floor(Math.random() * chatters.length)] as Chatter).drop();
  figures.drops++;
}, 5_000);

/** A raw client that resolves replies by id. */
type Reply = Record<string, unknown> | undefined;

async function rawClient(token: string): Promise<{
  ws: WebSocket;
  request(frame: Record<string, unknown>, timeoutMs?: number): Promise<Reply>;
  closed: Promise<number>;
}> {
  const ws = new WebSocket(`${anyWsUrl()}/api/ws?token=${encodeURIComponent(token)}`);
  const replies = new Map<string, (frame: Reply) => void>();
  let n = 0;
  ws.on('message', (data) => {
    const frame = JSON.parse(data.toString()) as Record<string, unknown>;
    const id = frame.id as string | undefined;
    const resolve = id === undefined ? undefined : replies.get(id);
    if (resolve) {
      replies.delete(id as string);
      resolve(frame);
    }
  });
  ws.on('error', () => {});
  const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('close', () => reject(new Error('closed while opening')));
  });
  countOpen(ws);
  return {
    ws,
    closed,
    request(frame, timeoutMs = 15_000) {
      const id = (frame.id as string | undefined) ?? `q${++n}`;
      return new Promise((resolve) => {
        const timer = setTimeout(() => {
          replies.delete(id);
          resolve(undefined);
        }, timeoutMs);
        replies.set(id, (reply) => {
          clearTimeout(timer);
          resolve(reply);
        });
        ws.send(JSON.stringify({ ...frame, id }));
      });
    },
  };
}

/**
 * Times the running nodes have logged cutting `userId` as a slow consumer.
 * Per user: on a loaded machine the soak's own chatters may be cut too, and
 * a count of every cut (the metric) stopped the flood before its reader's.
 */
function slowCutsOf(userId: string): number {
  return target
    .live()
    .flatMap((node) => node.logs)
    .filter((line) => line.msg === 'slow consumer disconnected' && line.userId === userId).length;
}

// Slow readers: one every 20 s stalls in a room that a flooder fills with 4 KB messages.
async function slowReaders(): Promise<void> {
  const slowUser = await signup(firstUrl, 'slow');
  const flooder = await signup(firstUrl, 'flood');
  const floodRoom = await createRoom(firstUrl, flooder.token);
  const text = 'y'.repeat(3_900);
  while (!stopping) {
    try {
      const reader = await rawClient(slowUser.token);
      await reader.request({ type: 'join', roomId: floodRoom });
      reader.ws.pause();
      figures.slowReaders.started++;
      const cutsBefore = slowCutsOf(slowUser.id);
      const writer = await rawClient(flooder.token);
      await writer.request({ type: 'join', roomId: floodRoom });
      let code: number | undefined;
      reader.closed.then((c) => {
        code = c;
      });
      // Up to 24 MiB, as test/e2e/slow-reader.test.ts: loopback's TCP buffers grow to
      // take 8 MiB and more where tcp_rmem allows, so a smaller flood may never reach the
      // queue. Stops early once the reader is cut.
      for (let batch = 0; batch < 120 && code === undefined && !stopping; batch++) {
        await Promise.all(
          Array.from({ length: 50 }, () =>
            writer.request({ type: 'send', roomId: floodRoom, message: text }),
          ),
        );
        // Once the server has cut it, it reads again, and so gets its close frame.
        if (slowCutsOf(slowUser.id) > cutsBefore) break;
      }
      reader.ws.resume();
      const outcome = await Promise.race([reader.closed, pause(10_000).then(() => 'open')]);
      figures.slowReaders.cut[String(outcome)] =
        (figures.slowReaders.cut[String(outcome)] ?? 0) + 1;
      reader.ws.terminate();
      writer.ws.close();
    } catch (err) {
      say(`slow reader: ${(err as Error).message}`);
    }
    for (let i = 0; i < 100 && !stopping; i++) await pause(200);
  }
}

// The fuzzer: generated and mutated frames, each followed by a ping that must be answered.
async function fuzzer(): Promise<void> {
  const fuzzUser = await signup(firstUrl, 'fuzz');
  const fuzzRoom = await createRoom(firstUrl, fuzzUser.token);
  const input = fc.oneof(
    {
      weight: 6,
      arbitrary: clientFrame({ roomIds: [fuzzRoom, 'no-such-room', crypto.randomUUID()] }).map(
        (f) => JSON.stringify(f),
      ),
    },
    { weight: 2, arbitrary: rawText },
  );
  let seed = 20261201;
  while (!stopping) {
    let client: Awaited<ReturnType<typeof rawClient>>;
    try {
      client = await rawClient(fuzzUser.token);
    } catch {
      await pause(500);
      continue;
    }
    const errors: Array<{ code?: string }> = [];
    client.ws.on('message', (data) => {
      const frame = JSON.parse(data.toString());
      if (frame.type === 'error') errors.push(frame);
    });
    let open = true;
    client.closed.then(() => {
      open = false;
    });
    while (open && !stopping) {
      for (const sent of fc.sample(input, { numRuns: 100, seed: seed++ })) {
        if (!open || stopping) break;
        client.ws.send(sent);
        figures.fuzz.frames++;
        const pong = await client.request({ type: 'ping' }, 15_000);
        if (!pong && open) figures.fuzz.unanswered++;
        await pause(20);
      }
      for (const error of errors.splice(0)) {
        figures.fuzz.codedErrors++;
        if (!KNOWN.has(error.code as string)) figures.fuzz.unknownCodes++;
      }
    }
    client.ws.close();
    if (!stopping) figures.fuzz.reconnects++;
  }
}

// Faults, one every FAULT_EVERY_MS, in turn.
async function faults(): Promise<void> {
  for (let i = 0; !stopping; i++) {
    for (let waited = 0; waited < FAULT_EVERY_MS && !stopping; waited += 200) await pause(200);
    if (stopping) return;
    const fault = target.faults[i % target.faults.length] as Target['faults'][number];
    say(`fault: ${fault.name}`);
    await fault.inject();
    figures.faults[fault.name] = (figures.faults[fault.name] ?? 0) + 1;
  }
}

const running = [slowReaders(), fuzzer(), faults()];
while (Date.now() - loadStarted < RUN_MS) {
  await pause(10_000);
  const acked = chatters.reduce((sum, c) => sum + c.acked.size, 0);
  say(
    `${acked} acked, ${figures.fuzz.frames} fuzz frames, faults ${JSON.stringify(figures.faults)}`,
  );
}
const loadMs = Date.now() - loadStarted;
stopping = true;
clearInterval(dropper);
await Promise.all(running);
await Promise.all(chatters.map((c) => c.stop()));
clearInterval(sampler);
say('load stopped; checking every acked message against the store');

// The checks: every acked message stored once at its seq; every user shown the room's history once.
let acked = 0;
let lost = 0;
let storedTwice = 0;
let shownWrong = 0;
let duplicatesDropped = 0;
let reconnects = 0;
let stored = 0;
const url = anyNode().url;
for (const roomId of rooms) {
  const history = await readHistory(url, roomId);
  stored += history.length;
  const byClientId = new Map<string, number>();
  for (const m of history) {
    if (!m.clientId) continue;
    if (byClientId.has(m.clientId)) storedTwice++;
    byClientId.set(m.clientId, m.seq);
  }
  const last = history.at(-1)?.seq ?? 0;
  for (const chatter of chatters.filter((_, i) => rooms[i % ROOMS] === roomId)) {
    for (const [id, seq] of chatter.acked) {
      acked++;
      if (byClientId.get(id) !== seq) lost++;
    }
    await chatter.caughtUp(last, 120_000);
    for (const m of history.filter((h) => h.seq > chatter.from)) {
      if (chatter.shown.get(m.seq) !== (m.clientId ?? '')) shownWrong++;
    }
    duplicatesDropped += chatter.duplicates;
    reconnects += chatter.reconnects;
    chatter.close();
  }
}
const memory = rss.map((s) => {
  const mbs = s.points.map(([, y]) => y);
  return {
    node: s.label,
    firstMB: Math.round(mbs[0] ?? 0),
    maxMB: Math.round(Math.max(...mbs)),
    lastMB: Math.round(mbs.at(-1) ?? 0),
  };
});
const result = {
  mode: MODE,
  minutes: Number((elapsed() / 60).toFixed(1)),
  loadMinutes: Number((loadMs / 60_000).toFixed(1)),
  nodes: target.live().length,
  users: CHATTERS,
  rooms: ROOMS,
  connectionsOpened:
    CHATTERS + reconnects + figures.slowReaders.started * 2 + figures.fuzz.reconnects + 1,
  peakConnections: figures.peakConnections,
  networkDrops: figures.drops,
  messagesAcked: acked,
  messagesStored: stored,
  messagesLost: lost,
  storedTwice,
  shownWrong,
  duplicatesDropped,
  faults: figures.faults,
  slowReaders: figures.slowReaders,
  fuzz: figures.fuzz,
  memory,
};
await target.stop();
mkdirSync(values.out, { recursive: true });
writeFileSync(join(values.out, `soak-${MODE}.json`), `${JSON.stringify(result, null, 2)}\n`);
writeFileSync(
  join(values.out, `soak-${MODE}.svg`),
  lineChart(`Server RSS during the ${MODE} soak`, 'minutes', 'MB', rss).svg,
);
say(JSON.stringify(result));
process.exit(lost === 0 && storedTwice === 0 && shownWrong === 0 ? 0 : 1);
