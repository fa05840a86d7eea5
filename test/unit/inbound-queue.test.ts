import assert from 'node:assert/strict';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import { WebSocket, WebSocketServer } from 'ws';
import { InboundQueue, MAX_QUEUED_FRAMES } from '../../src/transport/ws/inbound-queue.js';
import { waitUntil } from '../support/wait.js';

/** Frames the client sends at once: 2 MB, far more than the queue reads ahead or one read takes. */
const FRAMES = 2_000;
const PADDING = 'x'.repeat(1_000);

describe('the inbound queue of a connection', () => {
  it(`stops reading the socket once ${MAX_QUEUED_FRAMES} frames wait, then handles every frame in order and reads again`, async () => {
    const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
    await once(wss, 'listening');
    const accepted = once(wss, 'connection');
    const client = new WebSocket(`ws://127.0.0.1:${(wss.address() as AddressInfo).port}`);
    await once(client, 'open');
    const [server] = (await accepted) as [WebSocket];

    // Every handler waits for the gate: the first frame's holds up the rest.
    let openGate = () => {};
    const gate = new Promise<void>((resolve) => {
      openGate = resolve;
    });
    const failures: unknown[] = [];
    const queue = new InboundQueue(server, (err) => failures.push(err));
    const handled: number[] = [];
    let read = 0;
    server.on('message', (data) => {
      read += 1;
      const n = Number.parseInt(String(data), 10);
      queue.run(async () => {
        await gate;
        handled.push(n);
      });
    });

    for (let i = 0; i < FRAMES; i++) client.send(`${i} ${PADDING}`);
    await waitUntil('the server to stop reading the socket', () => server.isPaused);
    assert.ok(read >= MAX_QUEUED_FRAMES, `paused after ${read} frames`);
    process.stdout.write(`# paused after ${read} of ${FRAMES} frames were read\n`);
    assert.ok(read < FRAMES / 4, `${read} of ${FRAMES} frames were read ahead of the handler`);
    assert.equal(handled.length, 0);

    openGate();
    await waitUntil('every frame to be handled', () => handled.length === FRAMES);
    assert.deepEqual(
      handled,
      Array.from({ length: FRAMES }, (_, i) => i),
    );
    assert.equal(server.isPaused, false);
    assert.equal(queue.size, 0);
    assert.deepEqual(failures, []);

    client.close();
    await once(client, 'close');
    wss.close();
  });
});
