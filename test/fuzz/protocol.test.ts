import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { ERROR_CODES } from '../../src/protocol/errors.js';
import { call, createRoom, signup } from '../support/http.js';
import { type ConfabProcess, removeDataDir, startConfab } from '../support/server.js';
import { TestClient } from '../support/ws-client.js';
import { clientFrame, rawText } from './frame-arbitraries.js';
import { ProbingConnection, shown } from './probing-connection.js';

/**
 * Generated and mutated input, from the protocol's own schemas: the server
 * answers each frame with a coded error or its reply, never closes on it,
 * never answers HTTP with a 500, and other users keep chatting meanwhile.
 *
 * Seeded and bounded for CI; a longer run, with the figures printed:
 *   FUZZ_RUNS=100000 FUZZ_SECONDS=1500 node --import tsx --test test/fuzz/protocol.test.ts
 * FUZZ_RUNS counts WebSocket frames (a third as many HTTP requests), each run
 * ending at FUZZ_SECONDS (HTTP at half of it). A failure names the frame and
 * prints its seed; FUZZ_SEED=<seed> replays it.
 */
const RUNS = Number(process.env.FUZZ_RUNS ?? 1500);
const SECONDS = Number(process.env.FUZZ_SECONDS ?? 40);
const SEED = Number(process.env.FUZZ_SEED ?? 20261201);
/** Fuzzing connections, each its own user; frames are spread over them. */
const CONNECTIONS = Number(process.env.FUZZ_CONNECTIONS ?? 4);
/** Frames per case: sent at once over the connections, each followed by its probe. */
const BATCH = 32;
/** HTTP requests in flight at once. */
const HTTP_CONCURRENCY = 4;
const PROBE_TIMEOUT_MS = 15_000;
const KNOWN_CODES = new Set<string>(ERROR_CODES);

describe('fuzzing the protocol', () => {
  let server: ConfabProcess;
  const fuzzers: ProbingConnection[] = [];
  let bob: TestClient;
  let carol: TestClient;
  let roomId: string;
  let fuzzerToken: string;
  const roomIds: string[] = [];

  before(async () => {
    server = await startConfab({ RATE_LIMITS: 'off' });
    const [b, c, ...fuzzUsers] = await Promise.all([
      signup(server.url, 'bob'),
      signup(server.url, 'carol'),
      ...Array.from({ length: CONNECTIONS }, () => signup(server.url, 'fuzz')),
    ]);
    fuzzerToken = (fuzzUsers[0] as { token: string }).token;
    roomId = await createRoom(server.url, b.token);
    const privateRoom = await createRoom(server.url, b.token, { visibility: 'private' });
    roomIds.push(roomId, privateRoom, 'no-such-room', crypto.randomUUID());
    for (const user of fuzzUsers) {
      fuzzers.push(await ProbingConnection.open(server.wsUrl, user.token));
    }
    bob = await TestClient.connect(server.wsUrl, { token: b.token });
    carol = await TestClient.connect(server.wsUrl, { token: c.token });
    await bob.request({ type: 'join', roomId });
    await carol.request({ type: 'join', roomId });
  });
  after(async () => {
    await Promise.all([...fuzzers.map((f) => f.close()), bob?.close(), carol?.close()]);
    await server?.stop();
    if (server) removeDataDir(server);
  });

  /**
   * Bob says something and Carol hears it: the fuzzing hurt nobody else.
   * Matched by seq, not text: the word filter may mask a label ("455" reads as a word).
   */
  async function othersStillChat(label: string): Promise<void> {
    const ack = await bob.request({ type: 'send', roomId, message: `still here ${label}` });
    assert.equal(ack.type, 'ack', JSON.stringify(ack));
    const heard = await carol.next(
      (f) => f.type === 'message' && (f.data as { seq: number }).seq === ack.seq,
    );
    assert.ok(heard);
  }

  it('answers every generated or mutated WebSocket frame with a reply or a coded error, and stays open', async (t) => {
    const rssBefore = rssOf(server);
    const started = Date.now();
    let sent = 0;
    let errors = 0;
    let checkedAt = 0;
    const input = fc.oneof(
      { weight: 6, arbitrary: clientFrame({ roomIds }).map((frame) => JSON.stringify(frame)) },
      { weight: 2, arbitrary: rawText },
      { weight: 1, arbitrary: fc.uint8Array({ maxLength: 64 }) },
    );
    // Each case is a batch, spread over the connections and pipelined on each;
    // a failing batch shrinks towards the one input that fails.
    await fc.assert(
      fc.asyncProperty(fc.array(input, { minLength: BATCH, maxLength: BATCH }), async (batch) => {
        await Promise.all(
          batch.map(async (frame, i) => {
            const answers = await (fuzzers[i % fuzzers.length] as ProbingConnection).probe(
              frame,
              PROBE_TIMEOUT_MS,
            );
            for (const answer of answers.filter((f) => f.type === 'error')) {
              errors++;
              const context = `${JSON.stringify(answer)} after ${shown(frame)}`;
              assert.ok(KNOWN_CODES.has(answer.code as string), `unknown code: ${context}`);
              assert.equal(typeof answer.message, 'string', context);
            }
          }),
        );
        sent += batch.length;
        if (sent - checkedAt >= 250) {
          checkedAt = sent;
          await othersStillChat(`after ${sent}`);
        }
      }),
      {
        seed: SEED,
        numRuns: Math.ceil(RUNS / BATCH),
        interruptAfterTimeLimit: SECONDS * 1000,
        endOnFailure: true,
      },
    );
    await othersStillChat('at the end');
    const closes = fuzzers.filter((f) => f.closeCode !== undefined).length;
    assert.equal(closes, 0, 'every fuzzing connection is still open');
    const rssAfter = rssOf(server);
    const seconds = (Date.now() - started) / 1000;
    t.diagnostic(
      `${sent} frames on ${fuzzers.length} connections in ${seconds.toFixed(0)} s, ${errors} coded errors, ${closes} closes; server RSS ${mb(rssBefore)} before, ${mb(rssAfter)} after`,
    );
  });

  it('answers generated HTTP bodies with a coded 4xx or success, never a 500', async (t) => {
    const paths = ['/api/signup', '/api/login', '/api/room', `/api/room/${roomId}/members`];
    let requests = 0;
    const body = fc.oneof(
      fc.jsonValue({ maxDepth: 3 }).map((value) => JSON.stringify(value)),
      fc
        .record({
          username: fc.jsonValue({ maxDepth: 1 }),
          password: fc.jsonValue({ maxDepth: 1 }),
        })
        .map((v) => JSON.stringify(v)),
      fc
        .record({ name: fc.jsonValue({ maxDepth: 1 }), visibility: fc.jsonValue({ maxDepth: 1 }) })
        .map((v) => JSON.stringify(v)),
      rawText,
    );
    const request = fc.tuple(fc.constantFrom(...paths), body, fc.boolean());
    await fc.assert(
      fc.asyncProperty(
        fc.array(request, { minLength: HTTP_CONCURRENCY, maxLength: HTTP_CONCURRENCY }),
        async (batch) => {
          await Promise.all(
            batch.map(async ([path, raw, withToken]) => {
              requests++;
              const answer = await call(server.url, 'POST', path, {
                raw,
                ...(withToken ? { token: fuzzerToken } : {}),
              }).catch((err: Error) => ({ status: 0, body: err.message, headers: new Headers() }));
              assert.ok(
                answer.status >= 200 && answer.status < 500,
                `${path} ${raw.slice(0, 80)}: ${answer.status}`,
              );
              if (answer.status >= 400) {
                assert.ok(KNOWN_CODES.has(answer.body?.error?.code), JSON.stringify(answer.body));
              }
            }),
          );
        },
      ),
      {
        seed: SEED,
        numRuns: Math.ceil(RUNS / 3 / HTTP_CONCURRENCY),
        interruptAfterTimeLimit: (SECONDS * 1000) / 2,
      },
    );
    assert.equal((await call(server.url, 'GET', '/api/healthz')).status, 200);
    await othersStillChat('after HTTP');
    t.diagnostic(`${requests} HTTP requests`);
  });
});

/** The server process's resident memory, in bytes (Linux). */
function rssOf(server: ConfabProcess): number {
  const status = readFileSync(`/proc/${server.child.pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) * 1024;
}

function mb(bytes: number): string {
  return `${(bytes / 2 ** 20).toFixed(1)} MB`;
}
