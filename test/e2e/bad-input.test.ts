import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { SignJWT, UnsecuredJWT } from 'jose';
import WebSocket from 'ws';
import { call, createRoom, signup } from '../support/http.js';
import { type ConfabProcess, removeDataDir, startConfab } from '../support/server.js';
import { TestClient } from '../support/ws-client.js';

/** Bad input gets a clear error with a stable code, hurts no one else, and the connection survives. */
describe('bad input', () => {
  let server: ConfabProcess;
  let alice: { token: string; id: string; name: string };
  let roomId: string;
  let client: TestClient;
  let bystander: TestClient;

  before(async () => {
    server = await startConfab({ MAX_MESSAGE_CHARS: '4000' });
    alice = await signup(server.url);
    const bob = await signup(server.url);
    roomId = await createRoom(server.url, alice.token);
    client = await TestClient.connect(server.wsUrl, { token: alice.token });
    await client.request({ type: 'join', roomId });
    bystander = await TestClient.connect(server.wsUrl, { token: bob.token });
    await bystander.request({ type: 'join', roomId });
  });
  after(async () => {
    await Promise.all([client.close(), bystander.close()]);
    await server.stop();
    removeDataDir(server);
  });

  /** Sends raw text and expects one error frame with `code`; then proves the connection still works. */
  async function expectError(
    raw: string,
    code: string,
    id?: string,
  ): Promise<Record<string, unknown>> {
    client.send(raw);
    const error = await client.next((f) => f.type === 'error');
    assert.equal(error.code, code, `for ${raw.slice(0, 80)}: ${JSON.stringify(error)}`);
    assert.equal(typeof error.message, 'string');
    if (id !== undefined) assert.equal(error.id, id);
    assert.equal((await client.request({ type: 'ping' })).type, 'pong', 'the connection survives');
    return error;
  }

  it('answers malformed JSON with invalid_request', async () => {
    await expectError('{"type": "send", ', 'invalid_request');
    await expectError('not json at all', 'invalid_request');
    await expectError('[1,2,3]', 'invalid_request');
    await expectError('null', 'invalid_request');
  });

  it('answers unknown frame types and missing or mistyped fields with invalid_request, echoing the id', async () => {
    await expectError('{"type":"dance","id":"d1"}', 'invalid_request', 'd1');
    await expectError('{"id":"n1"}', 'invalid_request', 'n1');
    await expectError('{"type":"send","id":"s1","roomId":"x"}', 'invalid_request', 's1');
    await expectError(
      `{"type":"send","id":"s2","roomId":"${roomId}","message":42}`,
      'invalid_request',
      's2',
    );
    await expectError(
      `{"type":"join","id":"j1","roomId":"${roomId}","since":-1}`,
      'invalid_request',
      'j1',
    );
    await expectError(
      `{"type":"join","id":"j2","roomId":"${roomId}","since":"7"}`,
      'invalid_request',
      'j2',
    );
    await expectError('{"type":"join","id":"j3"}', 'invalid_request', 'j3');
    await expectError('{"type":"__proto__","id":"p1"}', 'invalid_request', 'p1');
    await expectError('{"type":"toString","id":"p2"}', 'invalid_request', 'p2');
  });

  it('refuses empty and over-long messages, counting characters not bytes', async () => {
    await expectError(
      `{"type":"send","id":"e1","roomId":"${roomId}","message":"   "}`,
      'invalid_request',
      'e1',
    );
    const long = 'x'.repeat(4001);
    await expectError(
      JSON.stringify({ type: 'send', id: 'l1', roomId, message: long }),
      'message_too_long',
      'l1',
    );
    const emoji = '😀'.repeat(4000); // 4,000 characters, 8,000 UTF-16 units, 16,000 bytes
    const ack = await client.request({ type: 'send', roomId, message: emoji });
    assert.equal(ack.type, 'ack');
  });

  it('answers unknown rooms with room_not_found, for any string', async () => {
    for (const bad of ['no-such-room', "' OR 1=1 --", '../../etc/passwd', '']) {
      const join = await client.request({ type: 'join', roomId: bad });
      assert.equal(join.code, 'room_not_found', JSON.stringify(join));
      const send = await client.request({ type: 'send', roomId: bad, message: 'hi' });
      assert.equal(send.code, 'room_not_found');
    }
  });

  it('hides a private room from an outsider exactly like a missing room', async () => {
    const outsider = await signup(server.url);
    const secret = await createRoom(server.url, alice.token, { visibility: 'private' });
    const ws = await TestClient.connect(server.wsUrl, { token: outsider.token });
    const probe = await ws.request({ type: 'join', roomId: secret });
    const missing = await ws.request({ type: 'join', roomId: 'does-not-exist' });
    assert.deepEqual({ ...probe, id: undefined }, { ...missing, id: undefined });
    for (const path of [`/api/room/${secret}`, `/api/room/${secret}/messages`]) {
      const hidden = await call(server.url, 'GET', path, { token: outsider.token });
      const absent = await call(server.url, 'GET', path.replace(secret, 'does-not-exist'), {
        token: outsider.token,
      });
      assert.equal(hidden.status, 404);
      assert.deepEqual(hidden.body, absent.body);
    }
    await ws.close();
  });

  it('refuses binary frames, and closes with 1009 on a frame over 64 KiB without disturbing others', async () => {
    client.ws.send(Buffer.from([1, 2, 3]), { binary: true });
    const error = await client.next((f) => f.type === 'error');
    assert.equal(error.code, 'invalid_request');

    const victim = await TestClient.connect(server.wsUrl, { token: alice.token });
    await victim.request({ type: 'join', roomId });
    victim.send(JSON.stringify({ type: 'send', roomId, message: 'y'.repeat(70 * 1024) }));
    assert.equal(await victim.closed, 1009);
    const ack = await bystander.request({ type: 'send', roomId, message: 'still fine' });
    assert.equal(ack.type, 'ack');
  });

  it('keeps SQL and HTML as plain text', async () => {
    const text = `<img src=x onerror=alert(1)>'; DROP TABLE messages; --`;
    await client.request({ type: 'send', roomId, message: text });
    const history = await call(server.url, 'GET', `/api/room/${roomId}/messages?limit=1`);
    assert.equal(history.body[0].message, text);
  });

  it('closes with 4401 on a bad, expired or unsigned token', async () => {
    const expired = await new SignJWT({ name: 'x', guest: false })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('u')
      .setExpirationTime(Math.floor(Date.now() / 1000) - 60)
      .sign(new TextEncoder().encode('a-secret-that-is-not-the-servers-own-secret'));
    const unsigned = new UnsecuredJWT({ name: 'mallory', guest: false })
      .setSubject(alice.id)
      .encode();
    for (const token of ['garbage', expired, unsigned, `${alice.token.slice(0, -4)}AAAA`]) {
      const ws = new WebSocket(`${server.wsUrl}/api/ws?token=${encodeURIComponent(token)}`);
      const code = await new Promise<number>((resolve) => ws.on('close', (c) => resolve(c)));
      assert.equal(code, 4401, `token ${token.slice(0, 20)}…`);
    }
  });

  it('answers bad HTTP input with coded errors', async () => {
    const cases: Array<[string, string, Parameters<typeof call>[3], number, string]> = [
      ['POST', '/api/signup', { raw: '{"username":' }, 400, 'invalid_request'],
      [
        'POST',
        '/api/signup',
        { body: { username: 'ab', password: 'password1' } },
        400,
        'invalid_request',
      ],
      [
        'POST',
        '/api/signup',
        { body: { username: 'valid_name', password: 'short' } },
        400,
        'invalid_request',
      ],
      [
        'POST',
        '/api/signup',
        { body: { username: 'has space', password: 'password12' } },
        400,
        'invalid_request',
      ],
      [
        'POST',
        '/api/signup',
        { body: { username: 5, password: 'password12' } },
        400,
        'invalid_request',
      ],
      [
        'POST',
        '/api/signup',
        { body: { username: alice.name.toUpperCase(), password: 'password12' } },
        409,
        'username_taken',
      ],
      [
        'POST',
        '/api/login',
        { body: { username: alice.name, password: 'wrong password' } },
        401,
        'invalid_credentials',
      ],
      [
        'POST',
        '/api/login',
        { body: { username: 'nobody_here', password: 'wrong password' } },
        401,
        'invalid_credentials',
      ],
      ['GET', '/api/rooms', { token: 'not-a-token' }, 401, 'unauthorized'],
      ['GET', `/api/room/${roomId}/messages?limit=0`, {}, 400, 'invalid_request'],
      ['GET', `/api/room/${roomId}/messages?limit=201`, {}, 400, 'invalid_request'],
      ['GET', `/api/room/${roomId}/messages?after=-1`, {}, 400, 'invalid_request'],
      ['GET', `/api/room/${roomId}/messages?before=1.5`, {}, 400, 'invalid_request'],
      ['GET', `/api/room/${roomId}/messages?after=abc`, {}, 400, 'invalid_request'],
      ['GET', '/api/room/%E0%A4%A/messages', {}, 404, 'room_not_found'],
      // The first malformed segment answers for itself, whatever room comes before it.
      ['DELETE', `/api/room/${roomId}/members/%zz`, {}, 404, 'user_not_found'],
      ['DELETE', `/api/room/${roomId}/messages/%ED%A0%80`, {}, 404, 'message_not_found'],
      ['PUT', `/api/room/${roomId}/messages/m/reactions/%F0%9F`, {}, 400, 'invalid_request'],
      ['PUT', '/api/blocks/%zz', {}, 404, 'user_not_found'],
      ['POST', '/api/room', { body: { visibility: 'secret' } }, 400, 'invalid_request'],
      ['POST', '/api/room', { body: { visibility: 'private' } }, 401, 'unauthorized'],
      ['POST', '/api/room', { raw: 'x'.repeat(70 * 1024) }, 413, 'payload_too_large'],
      ['GET', '/api/nowhere', {}, 404, 'not_found'],
    ];
    for (const [method, path, options, status, code] of cases) {
      const answer = await call(server.url, method, path, options);
      assert.equal(answer.status, status, `${method} ${path}: ${JSON.stringify(answer.body)}`);
      assert.equal(answer.body.error.code, code, `${method} ${path}`);
      assert.equal(typeof answer.body.error.message, 'string');
    }
    // A field that takes one of a few words says which.
    const visibility = await call(server.url, 'POST', '/api/room', {
      body: { visibility: 'secret' },
    });
    assert.equal(visibility.body.error.message, 'visibility must be one of "public", "private"');
    const role = await call(server.url, 'PATCH', `/api/room/${roomId}/members/${alice.id}`, {
      token: alice.token,
      body: { role: 'owner' },
    });
    assert.equal(role.body.error.message, 'role must be one of "admin", "member"');
  });
});
