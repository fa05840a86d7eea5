// A bounded load against running nodes, for docs/scaling.md: writers send a
// fixed number of messages, readers count what arrives, and the run stops by
// itself. Loopback only.
//
//   node --import tsx scripts/load.ts --urls http://127.0.0.1:8081,http://127.0.0.1:8082 \
//     --rooms 1 --writers 20 --readers 20 --messages 100 --window 4
//
// Clients are spread over the URLs round-robin. Start the nodes with
// RATE_LIMITS=off, or the limits are what is measured.
import { parseArgs } from 'node:util';
import { ClientError, ConfabClient } from '../clients/confab-client.js';

const { values } = parseArgs({
  options: {
    urls: { type: 'string', default: 'http://127.0.0.1:8081' },
    rooms: { type: 'string', default: '1' },
    writers: { type: 'string', default: '10' },
    readers: { type: 'string', default: '10' },
    messages: { type: 'string', default: '100' },
    window: { type: 'string', default: '4' },
    timeout: { type: 'string', default: '120' },
  },
});
const urls = values.urls.split(',');
const rooms = Number(values.rooms);
const writersPerRoom = Number(values.writers);
const readersPerRoom = Number(values.readers);
const perWriter = Number(values.messages);
const window = Number(values.window);
const deadline = setTimeout(() => {
  console.error('load: timed out');
  process.exit(2);
}, Number(values.timeout) * 1000);

let next = 0;
const pick = () => urls[next++ % urls.length] as string;

async function guest(url: string): Promise<string> {
  const response = await fetch(`${url}/api/guest`, { method: 'POST' });
  if (response.status !== 201) throw new Error(`guest: ${response.status}`);
  return ((await response.json()) as { token: string }).token;
}

async function createRoom(url: string, token: string, i: number): Promise<string> {
  const response = await fetch(`${url}/api/room`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name: `load ${i}` }),
  });
  if (response.status !== 201) throw new Error(`room: ${response.status}`);
  return ((await response.json()) as { roomId: string }).roomId;
}

/** Chat messages received by every reader, and a wake-up for whoever waits on the total. */
let delivered = 0;
let onDelivered: (() => void) | undefined;

/** A connection joined to its room; a reader counts the chat messages it is shown and seqs out of order. */
async function connect(url: string, roomId: string, reads: boolean) {
  const client = await ConfabClient.connect(url.replace('http', 'ws'), { token: await guest(url) });
  const counts = { outOfOrder: 0 };
  let lastSeq = 0;
  // Listening before the join: messages may follow its reply in the same read.
  client.onFrame = (frame) => {
    if (frame.type === 'joined') lastSeq = frame.lastSeq as number;
    if (!reads || frame.type !== 'message') return;
    const data = frame.data as { seq: number; type: string };
    if (data.seq !== lastSeq + 1) counts.outOfOrder += 1;
    lastSeq = data.seq;
    // The writers' joined notices are not the load.
    if (data.type !== 'chat') return;
    delivered += 1;
    onDelivered?.();
  };
  await client.request({ type: 'join', roomId });
  return { client, roomId, counts };
}

const ownerUrl = pick();
const owner = await guest(ownerUrl);
const roomIds = await Promise.all(
  Array.from({ length: rooms }, (_, i) => createRoom(ownerUrl, owner, i)),
);
const readers: Array<ReturnType<typeof connect>> = [];
const writers: Array<ReturnType<typeof connect>> = [];
for (const roomId of roomIds) {
  for (let i = 0; i < readersPerRoom; i++) readers.push(connect(pick(), roomId, true));
  for (let i = 0; i < writersPerRoom; i++) writers.push(connect(pick(), roomId, false));
}
const readerClients = await Promise.all(readers);
const writerClients = await Promise.all(writers);

const latencies: number[] = [];
let errors = 0;
const started = performance.now();
await Promise.all(
  writerClients.map(async ({ client, roomId }, w) => {
    let sent = 0;
    const lane = async () => {
      while (sent < perWriter) {
        const n = sent++;
        const t = performance.now();
        try {
          await client.request({
            type: 'send',
            roomId,
            message: `load ${w} ${n}`,
            id: `l${w}-${n}`,
          });
          latencies.push(performance.now() - t);
        } catch (err) {
          if (!(err instanceof ClientError)) throw err;
          errors += 1;
        }
      }
    };
    await Promise.all(Array.from({ length: window }, lane));
  }),
);
const acked = performance.now() - started;
const total = writerClients.length * perWriter;
const expected = (total - errors) * readersPerRoom;
await new Promise<void>((resolve) => {
  onDelivered = () => {
    if (delivered >= expected) resolve();
  };
  onDelivered();
});
const deliveredIn = performance.now() - started;
latencies.sort((a, b) => a - b);
const q = (p: number) =>
  latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? Number.NaN;
console.log(
  JSON.stringify({
    nodes: urls.length,
    rooms,
    writersPerRoom,
    readersPerRoom,
    messages: total,
    errors,
    ackedPerSecond: Math.round((total * 1000) / acked),
    deliveredPerSecond: Math.round((expected * 1000) / deliveredIn),
    ackMs: { p50: +q(0.5).toFixed(1), p99: +q(0.99).toFixed(1), max: +q(1).toFixed(1) },
    outOfOrder: readerClients.reduce((sum, r) => sum + r.counts.outOfOrder, 0),
  }),
);
await Promise.all([...readerClients, ...writerClients].map(({ client }) => client.close()));
clearTimeout(deadline);
