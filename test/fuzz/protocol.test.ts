import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { ERROR_CODES } from '../../src/protocol/errors.js';
import { call, createRoom, signup } from '../support/http.js';
import { type ConfabProcess, removeDataDir, startConfab } from '../support/server.js';
import { type Frame, TestClient } from '../support/ws-client.js';
import { clientFrame, rawText } from './frame-arbitraries.js';

/**
 * Generated and mutated input, from the protocol's own schemas: the server
 * answers each frame with a coded error or its reply, never closes on it,
 * never answers HTTP with a 500, and other users keep chatting meanwhile.
 *
 * Seeded and bounded for CI; a longer run, with the figures printed:
 *   FUZZ_RUNS=100000 FUZZ_SECONDS=900 node --import tsx --test test/fuzz/protocol.test.ts
 * A failure prints its seed and path; FUZZ_SEED=<seed> replays it.
 */
const RUNS = Number(process.env.FUZZ_RUNS ?? 1500);
const SECONDS = Number(process.env.FUZZ_SECONDS ?? 40);
const SEED = Number(process.env.FUZZ_SEED ?? 20261201);
const KNOWN_CODES = new Set<string>(ERROR_CODES);

describe('fuzzing the protocol', () => {
  let server: ConfabProcess;
  let fuzzer: TestClient;
  let bob: TestClient;
  let carol: TestClient;
  let roomId: string;
  let fuzzerToken: string;
  const roomIds: string[] = [];

  before(async () => {
    server = await startConfab({ RATE_LIMITS: 'off' });
    const [alice, b, c] = await Promise.all([
      signup(server.url, 'fuzz'),
      signup(server.url, 'bob'),
      signup(server.url, 'carol'),
    ]);
    fuzzerToken = alice.token;
    roomId = await createRoom(server.url, b.token);
    const privateRoom = await createRoom(server.url, b.token, { visibility: 'private' });
    roomIds.push(roomId, privateRoom, 'no-such-room', crypto.randomUUID());
    fuzzer = await TestClient.connect(server.wsUrl, { token: alice.token });
    bob = await TestClient.connect(server.wsUrl, { token: b.token });
    carol = await TestClient.connect(server.wsUrl, { token: c.token });
    await bob.request({ type: 'join', roomId });
    await carol.request({ type: 'join', roomId });
  });
  after(async () => {
    await Promise.all([fuzzer?.close(), bob?.close(), carol?.close()]);
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
    let probes = 0;
    let errors = 0;
    const input = fc.oneof(
      { weight: 6, arbitrary: clientFrame({ roomIds }).map((frame) => JSON.stringify(frame)) },
      { weight: 2, arbitrary: rawText },
      { weight: 1, arbitrary: fc.uint8Array({ maxLength: 64 }) },
    );
    await fc.assert(
      fc.asyncProperty(input, async (sent) => {
        const start = fuzzer.frames.length;
        fuzzer.ws.send(sent);
        const probe = `probe-${++probes}`;
        fuzzer.send({ type: 'ping', id: probe });
        await fuzzer.next((f) => f.id === probe, 10_000);
        const answers = fuzzer.frames.slice(start);
        for (const frame of answers.filter((f: Frame) => f.type === 'error')) {
          errors++;
          assert.ok(
            KNOWN_CODES.has(frame.code as string),
            `unknown code: ${JSON.stringify(frame)}`,
          );
          assert.equal(typeof frame.message, 'string');
        }
        if (probes % 250 === 0) await othersStillChat(`after ${probes}`);
      }),
      { seed: SEED, numRuns: RUNS, interruptAfterTimeLimit: SECONDS * 1000, endOnFailure: true },
    );
    await othersStillChat('at the end');
    assert.equal(fuzzer.closeCode, undefined, 'the fuzzing connection is still open');
    const rssAfter = rssOf(server);
    t.diagnostic(
      `${probes} frames, ${errors} coded errors; server RSS ${mb(rssBefore)} before, ${mb(rssAfter)} after`,
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
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...paths),
        body,
        fc.boolean(),
        async (path, raw, withToken) => {
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
        },
      ),
      { seed: SEED, numRuns: Math.ceil(RUNS / 3), interruptAfterTimeLimit: (SECONDS * 1000) / 2 },
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
