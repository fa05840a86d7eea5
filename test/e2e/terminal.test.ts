import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import WebSocket from 'ws';
import { call } from '../support/http.js';
import { type ConfabProcess, removeDataDir, startConfab } from '../support/server.js';
import { TestClient } from '../support/ws-client.js';

/** What a websocat user sees: a room created by a bare POST, plain lines in, message objects out. */
describe('plain terminals on /api/serve/:roomId', () => {
  let server: ConfabProcess;

  before(async () => {
    server = await startConfab();
  });
  after(async () => {
    await server.stop();
    removeDataDir(server);
  });

  it('lets two terminals chat in a room made by `curl -X POST /api/room`', async () => {
    const created = await fetch(`${server.url}/api/room`, { method: 'POST' });
    assert.equal(created.status, 201);
    const room = (await created.json()) as { roomId: string; roomName: string; visibility: string };
    assert.match(room.roomName, /^[A-Z][a-z]+ [A-Z][a-z]+$/, 'a random readable name');
    assert.equal(room.visibility, 'public');

    const one = await TestClient.connect(server.wsUrl, { path: `/api/serve/${room.roomId}` });
    // The join runs after the upgrade: wait for its reply, so that one hears two arrive.
    await one.next((f) => f.type === 'joined' && f.memberId === undefined);
    const two = await TestClient.connect(server.wsUrl, { path: `/api/serve/${room.roomId}` });
    await two.next((f) => f.type === 'joined' && f.memberId === undefined);
    const twoJoined = await one.next((f) => f.type === 'joined' && f.memberId !== undefined);
    assert.equal(twoJoined.roomId, room.roomId);
    one.send('hello from one\n');
    const seenByTwo = await two.next((f) => f.message === 'hello from one');
    assert.equal(seenByTwo.type, 'chat');
    assert.equal(seenByTwo.roomId, room.roomId);
    assert.equal(typeof seenByTwo.seq, 'number');
    assert.equal(seenByTwo.data, undefined, 'bare message objects, not wrapped in frames');
    const echo = await one.next((f) => f.message === 'hello from one');
    assert.equal(echo.seq, seenByTwo.seq);
    two.send('{"type":"ping","id":"p"}');
    assert.deepEqual(await two.next((f) => f.type === 'pong'), { type: 'pong', id: 'p' });
    two.send('[not an object]');
    assert.equal((await one.next((f) => f.message === '[not an object]')).type, 'chat');

    await two.close();
    const left = await one.next((f) => f.type === 'left');
    assert.equal(left.memberId, twoJoined.memberId);
    const detail = await call(server.url, 'GET', `/api/room/${room.roomId}`);
    assert.equal(detail.body.members.length, 1, 'closing a terminal is leaving');
    await one.close();
  });

  it('keeps a line typed before the join is done, and sends it after the join', async () => {
    const created = await fetch(`${server.url}/api/room`, { method: 'POST' });
    const { roomId } = (await created.json()) as { roomId: string };
    const eager = await TestClient.connect(server.wsUrl, { path: `/api/serve/${roomId}` });
    eager.send('typed at once');
    const echo = await eager.next((f) => f.message === 'typed at once');
    assert.equal(echo.type, 'chat');
    assert.equal(eager.frames.filter((f) => f.type === 'error').length, 0);
    await eager.close();
  });

  it('closes with 4404 for a room that does not exist', async () => {
    const ws = new WebSocket(`${server.wsUrl}/api/serve/no-such-room`);
    const frames: string[] = [];
    ws.on('message', (data) => frames.push(data.toString()));
    const code = await new Promise<number>((resolve) => ws.on('close', (c) => resolve(c)));
    assert.equal(code, 4404);
    assert.equal(JSON.parse(frames[0] ?? '{}').code, 'room_not_found');
  });

  it('refuses an upgrade on an unknown path with 404', async () => {
    const ws = new WebSocket(`${server.wsUrl}/api/nowhere`);
    const status = await new Promise<number | undefined>((resolve) =>
      ws.on('unexpected-response', (_req, res) => resolve(res.statusCode)),
    );
    assert.equal(status, 404);
  });
});
