import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { createRoom, signup } from '../support/http.js';
import { type ConfabProcess, removeDataDir, startConfab } from '../support/server.js';
import { waitUntil } from '../support/wait.js';
import { TestClient } from '../support/ws-client.js';

const SEND_QUEUE_BYTES = 1024 * 1024;
/** A message of about 4 KB: the flood fills a queue in few frames. */
const TEXT = 'x'.repeat(3_900);
/** Bound of the flood: 24 MiB, far past the queue and every kernel buffer. */
const MAX_FLOOD = 6_000;

/**
 * Promise 7 of docs/reliability.md: a reader that does not keep up is cut
 * with 4000 once SEND_QUEUE_BYTES wait for it, the others keep receiving, and
 * the server's memory stays bounded.
 */
describe('a slow reader', () => {
  let server: ConfabProcess;
  let flooder: { token: string };
  let listener: { token: string };
  let slow: { token: string };

  before(async () => {
    server = await startConfab({ SEND_QUEUE_BYTES: String(SEND_QUEUE_BYTES) });
    [flooder, listener, slow] = await Promise.all([
      signup(server.url, 'flood'),
      signup(server.url, 'listen'),
      signup(server.url, 'slow'),
    ]);
  });
  after(async () => {
    await server.stop();
    removeDataDir(server);
  });

  /** Sends messages in pipelined batches until `enough` says stop; returns how many were acked. */
  async function flood(
    roomId: string,
    enough: () => boolean,
  ): Promise<{ sent: number; lastSeq: number }> {
    const a = await TestClient.connect(server.wsUrl, { token: flooder.token });
    await a.request({ type: 'join', roomId });
    let sent = 0;
    let lastSeq = 0;
    while (!enough() && sent < MAX_FLOOD) {
      const batch = Array.from({ length: 50 }, () =>
        a.request({ type: 'send', roomId, message: TEXT }, 30_000),
      );
      for (const ack of await Promise.all(batch)) {
        assert.equal(ack.type, 'ack', JSON.stringify(ack));
        lastSeq = Math.max(lastSeq, ack.seq as number);
      }
      sent += batch.length;
    }
    await a.close();
    return { sent, lastSeq };
  }

  const cuts = () => server.logs.filter((l) => l.msg === 'slow consumer disconnected').length;

  it('is cut with 4000 once its queue is full, and sees the close frame if it reads again', async () => {
    const roomId = await createRoom(server.url, flooder.token);
    const b = await TestClient.connect(server.wsUrl, { token: listener.token });
    const start = (await b.request({ type: 'join', roomId })).lastSeq as number;
    const s = await TestClient.connect(server.wsUrl, { token: slow.token });
    const from = (await s.request({ type: 'join', roomId })).lastSeq as number;
    s.ws.pause();
    const before = cuts();
    const rssBefore = rssOf(server);
    let rssMax = rssBefore;
    const began = Date.now();
    const { sent, lastSeq } = await flood(roomId, () => {
      rssMax = Math.max(rssMax, rssOf(server));
      return cuts() > before;
    });
    const cutAfter = Date.now() - began;
    s.ws.resume();
    const code = await s.closed;
    const got = s.frames.filter((f) => f.type === 'message');
    process.stdout.write(
      `# cut after ${sent} messages (${((sent * TEXT.length) / 2 ** 20).toFixed(1)} MiB) in ${cutAfter} ms; close ${code}; it had ${got.length} messages; RSS ${mb(rssBefore)} -> max ${mb(rssMax)}\n`,
    );
    assert.equal(code, 4000);
    // What it got is gap-free; the backlog the server held for it was dropped at
    // the cut, not sent ahead of the close frame: at least a queue's worth is missing.
    const seqs = got.map((f) => (f.data as { seq: number }).seq);
    assert.deepEqual(
      seqs,
      Array.from({ length: seqs.length }, (_, i) => from + 1 + i),
    );
    const dropped = lastSeq - (seqs.at(-1) ?? from);
    assert.ok(
      dropped * TEXT.length >= SEND_QUEUE_BYTES * 0.9,
      `only ${dropped} messages were not delivered before the close frame`,
    );
    // It resumes with since and misses nothing.
    const again = await TestClient.connect(server.wsUrl, { token: slow.token });
    await again.request({ type: 'join', roomId, since: seqs.at(-1) ?? from });
    const rest = await again.messages(roomId, lastSeq - (seqs.at(-1) ?? from), 30_000);
    assert.equal(rest.at(-1)?.seq, lastSeq);
    await again.close();
    // The listener heard everything, in order.
    await heardAll(b, roomId, start, lastSeq);
    await b.close();
  });

  it('that stopped reading altogether is cut within the close timeout, the others unaffected, memory bounded', async () => {
    const roomId = await createRoom(server.url, flooder.token);
    const b = await TestClient.connect(server.wsUrl, { token: listener.token });
    const start = (await b.request({ type: 'join', roomId })).lastSeq as number;
    const stopped: TestClient[] = [];
    for (let i = 0; i < 3; i++) {
      const s = await TestClient.connect(server.wsUrl, { token: slow.token });
      await s.request({ type: 'join', roomId });
      s.ws.pause();
      stopped.push(s);
    }
    const before = cuts();
    const rssBefore = rssOf(server);
    let rssMax = rssBefore;
    const { sent, lastSeq } = await flood(roomId, () => {
      rssMax = Math.max(rssMax, rssOf(server));
      return cuts() >= before + stopped.length;
    });
    assert.equal(cuts(), before + stopped.length, `all three cut within ${sent} messages`);
    const cutAt = Date.now();
    // Only the listener is left once the close timeout (5 s) has passed.
    await waitUntil(
      'the stopped readers cut off on the server',
      async () => /^confab_connections 1$/m.test(await metrics(server)),
      30_000,
    );
    const took = Date.now() - cutAt;
    await heardAll(b, roomId, start, lastSeq);
    // The close frame never reached them: it waited behind unread data the kernel held.
    const codes = await Promise.all(
      stopped.map((s) => {
        s.ws.resume();
        return s.closed;
      }),
    );
    assert.deepEqual(codes, [1006, 1006, 1006]);
    assert.ok(
      rssMax - rssBefore < 64 * 2 ** 20,
      `server RSS grew by ${mb(rssMax - rssBefore)} for three stopped readers`,
    );
    process.stdout.write(
      `# three stopped readers: cut after ${sent} messages (${((sent * TEXT.length) / 2 ** 20).toFixed(1)} MiB), closed on the server ${took} ms after the last cut; RSS ${mb(rssBefore)} -> max ${mb(rssMax)}\n`,
    );
    await b.close();
  });
});

/** `client` got every message after `since` up to `lastSeq`, each once, in order. */
async function heardAll(
  client: TestClient,
  roomId: string,
  since: number,
  lastSeq: number,
): Promise<void> {
  await client.next(
    (f) => f.type === 'message' && (f.data as { seq: number }).seq === lastSeq,
    30_000,
  );
  const seqs = client.frames
    .filter((f) => f.type === 'message' && (f.data as { roomId: string }).roomId === roomId)
    .map((f) => (f.data as { seq: number }).seq);
  assert.deepEqual(
    seqs,
    Array.from({ length: lastSeq - since }, (_, i) => since + 1 + i),
  );
}

/** The server process's resident memory, in bytes (Linux). */
function rssOf(server: ConfabProcess): number {
  const status = readFileSync(`/proc/${server.child.pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) * 1024;
}

async function metrics(server: ConfabProcess): Promise<string> {
  return (await fetch(`${server.url}/metrics`)).text();
}

function mb(bytes: number): string {
  return `${(bytes / 2 ** 20).toFixed(1)} MB`;
}
