// A bounded load against running nodes, for docs/scaling.md: writers send a
// fixed number of messages, readers count what arrives, and the run stops by
// itself. Loopback only.
//
//   node scripts/load.mjs --urls http://127.0.0.1:8081,http://127.0.0.1:8082 \
//     --rooms 1 --writers 20 --readers 20 --messages 100 --window 4
//
// Clients are spread over the URLs round-robin. Start the nodes with
// RATE_LIMITS=off, or the limits are what is measured.
import { parseArgs } from 'node:util';
import WebSocket from 'ws';

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
const pick = () => urls[next++ % urls.length];

async function guest(url) {
  const response = await fetch(`${url}/api/guest`, { method: 'POST' });
  if (response.status !== 201) throw new Error(`guest: ${response.status}`);
  return (await response.json()).token;
}

async function room(url, token, i) {
  const response = await fetch(`${url}/api/room`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name: `load ${i}` }),
  });
  return (await response.json()).roomId;
}

/** A connection that resolves replies by id and counts message frames. */
async function connect(url, token, roomId) {
  const ws = new WebSocket(`${url.replace('http', 'ws')}/api/ws?token=${token}`);
  const pending = new Map();
  const client = { ws, received: 0, lastSeq: 0, outOfOrder: 0, pending };
  ws.on('message', (data) => {
    const frame = JSON.parse(data.toString());
    if (frame.type === 'message') {
      client.received += 1;
      if (frame.data.seq !== client.lastSeq + 1) client.outOfOrder += 1;
      client.lastSeq = frame.data.seq;
    } else if (frame.type === 'joined') {
      client.lastSeq = frame.lastSeq;
      pending.get(frame.id)?.(frame);
      pending.delete(frame.id);
    } else if (frame.id !== undefined && pending.has(frame.id)) {
      pending.get(frame.id)(frame);
      pending.delete(frame.id);
    }
  });
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  client.request = (frame) =>
    new Promise((resolve) => {
      pending.set(frame.id, resolve);
      ws.send(JSON.stringify(frame));
    });
  await client.request({ type: 'join', roomId, id: 'join' });
  return client;
}

const ownerUrl = pick();
const owner = await guest(ownerUrl);
const roomIds = await Promise.all(
  Array.from({ length: rooms }, (_, i) => room(ownerUrl, owner, i)),
);
const readers = [];
const writers = [];
for (const roomId of roomIds) {
  for (let i = 0; i < readersPerRoom; i++) {
    const url = pick();
    readers.push(connect(url, await guest(url), roomId));
  }
  for (let i = 0; i < writersPerRoom; i++) {
    const url = pick();
    writers.push(connect(url, await guest(url), roomId).then((c) => ({ ...c, roomId })));
  }
}
const readerClients = await Promise.all(readers);
const writerClients = await Promise.all(writers);
// Writers' joined notices reach the readers before the clock starts.
await new Promise((resolve) => setTimeout(resolve, 500));
for (const reader of readerClients) reader.received = 0;

const latencies = [];
let errors = 0;
const started = performance.now();
await Promise.all(
  writerClients.map(async (writer, w) => {
    let sent = 0;
    const lane = async () => {
      while (sent < perWriter) {
        const n = sent++;
        const t = performance.now();
        const reply = await writer.request({
          type: 'send',
          roomId: writer.roomId,
          message: `load ${w} ${n}`,
          id: `l${w}-${n}`,
        });
        if (reply.type === 'ack') latencies.push(performance.now() - t);
        else errors += 1;
      }
    };
    await Promise.all(Array.from({ length: window }, lane));
  }),
);
const acked = performance.now() - started;
const total = writerClients.length * perWriter;
const expected = readersPerRoom * writersPerRoom * perWriter * rooms;
while (readerClients.reduce((sum, r) => sum + r.received, 0) < expected - errors * readersPerRoom) {
  await new Promise((resolve) => setTimeout(resolve, 20));
}
const delivered = performance.now() - started;
latencies.sort((a, b) => a - b);
const q = (p) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))];
console.log(
  JSON.stringify({
    nodes: urls.length,
    rooms,
    writersPerRoom,
    readersPerRoom,
    messages: total,
    errors,
    ackedPerSecond: Math.round((total * 1000) / acked),
    deliveredPerSecond: Math.round((expected * 1000) / delivered),
    ackMs: { p50: +q(0.5).toFixed(1), p99: +q(0.99).toFixed(1), max: +q(1).toFixed(1) },
    outOfOrder: readerClients.reduce((sum, r) => sum + r.outOfOrder, 0),
  }),
);
for (const client of [...readerClients, ...writerClients]) client.ws.close();
clearTimeout(deadline);
