import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { SignJWT } from 'jose';
import WebSocket from 'ws';
import { freePort } from '../support/free-port.js';
import { call, createRoom, signup } from '../support/http.js';
import { type ConfabProcess, removeDataDir, runToExit, startConfab } from '../support/server.js';
import { TestClient } from '../support/ws-client.js';

/** Findings of an attacker's try (issue 12), each answered as the docs say. */
describe('hardening', () => {
  let server: ConfabProcess;
  let alice: { token: string; id: string; name: string };
  let roomId: string;

  before(async () => {
    server = await startConfab({ ALLOWED_ORIGINS: 'https://friend.example' });
    alice = await signup(server.url);
    roomId = await createRoom(server.url, alice.token);
  });
  after(async () => {
    await server.stop();
    removeDataDir(server);
  });

  it('refuses mistyped JSON fields instead of coercing them', async () => {
    const cases: Array<[string, unknown]> = [
      ['/api/signup', { username: 123456, password: 'correct horse' }],
      ['/api/signup', { username: ['alice2'], password: 'correct horse' }],
      ['/api/room', { name: ['arr'] }],
      ['/api/room', { visibility: ['private'] }],
      ['/api/room', { name: 42 }],
    ];
    for (const [path, body] of cases) {
      const answer = await call(server.url, 'POST', path, { body, token: alice.token });
      assert.equal(answer.status, 400, `${path} ${JSON.stringify(body)}`);
      assert.equal(answer.body.error.code, 'invalid_request');
    }
  });

  it('refuses a join whose since is above the room’s last seq, and the connection still hears live messages', async () => {
    const client = await TestClient.connect(server.wsUrl, { token: alice.token });
    for (const since of [1e9, 1e308, 2 ** 53 + 2]) {
      const reply = await client.request({ type: 'join', roomId, since });
      assert.equal(reply.type, 'error', `since ${since}`);
      assert.equal(reply.code, 'invalid_request');
    }
    const joined = await client.request({ type: 'join', roomId });
    const ack = await client.request({ type: 'send', roomId, message: 'still here' });
    assert.equal(ack.type, 'ack');
    const [live] = await client.messages(roomId, 1);
    assert.equal(live?.seq, (joined.lastSeq as number) + 1);
    await client.close();
  });

  it('delivers and stores the same text when a message holds a lone surrogate', async () => {
    const client = await TestClient.connect(server.wsUrl, { token: alice.token });
    await client.request({ type: 'join', roomId });
    client.send(`{"type":"send","id":"lone-1","roomId":"${roomId}","message":"a\\ud800b"}`);
    const live = (
      await client.next(
        (f) => f.type === 'message' && (f.data as { clientId?: string }).clientId === 'lone-1',
      )
    ).data as { seq: number; message: string };
    const history = await call(
      server.url,
      'GET',
      `/api/room/${roomId}/messages?after=${live.seq - 1}&limit=1`,
    );
    assert.equal(live.message, 'a\ufffdb');
    assert.equal(history.body[0].message, live.message);
    await client.close();
  });

  it('answers requests that Node refuses with the contract’s JSON errors', async () => {
    const badLine = await rawHttp(server.port, 'GET /\x01 HTTP/1.1\r\nHost: x\r\n\r\n');
    assert.match(badLine, /^HTTP\/1\.1 400 /);
    assert.equal(jsonBody(badLine).error.code, 'invalid_request');
    const bigHeaders = await rawHttp(
      server.port,
      `GET /api/healthz HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`,
    );
    assert.match(bigHeaders, /^HTTP\/1\.1 431 /);
    assert.equal(jsonBody(bigHeaders).error.code, 'headers_too_large');
  });

  it('opens WebSockets for no Origin, its own and listed ones, and refuses other sites with 403', async () => {
    const own = `http://127.0.0.1:${server.port}`;
    for (const origin of [undefined, own, 'https://friend.example']) {
      const status = await upgradeStatus(server.wsUrl, origin);
      assert.equal(status, 101, `origin ${origin}`);
    }
    for (const origin of ['https://evil.example', 'null', `http://127.0.0.1:${server.port + 1}`]) {
      const status = await upgradeStatus(server.wsUrl, origin);
      assert.equal(status, 403, `origin ${origin}`);
    }
  });
});

describe('tokens against the store', () => {
  const JWT_SECRET = 'a-test-secret-of-at-least-32-characters!';
  let server: ConfabProcess;
  const forge = (sub: string, name: string) =>
    new SignJWT({ name, guest: false })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(sub)
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode(JWT_SECRET));

  before(async () => {
    server = await startConfab({ JWT_SECRET });
  });
  after(async () => {
    await server.stop();
    removeDataDir(server);
  });

  it('refuses a well-signed token whose user does not exist, over HTTP and WebSocket', async () => {
    const token = await forge(crypto.randomUUID(), 'ghost');
    assert.equal((await call(server.url, 'GET', '/api/me', { token })).status, 401);
    assert.equal((await call(server.url, 'POST', '/api/room', { token })).status, 401);
    const client = await TestClient.connect(server.wsUrl, { token });
    assert.equal(await client.closed, 4401);
  });

  it('takes the name from the store, not from the token', async () => {
    const alice = await signup(server.url);
    const token = await forge(alice.id, 'mallory');
    assert.equal((await call(server.url, 'GET', '/api/me', { token })).body.user.name, alice.name);
    const roomId = await createRoom(server.url, token);
    const client = await TestClient.connect(server.wsUrl, { token });
    await client.request({ type: 'join', roomId });
    await client.request({ type: 'send', roomId, message: 'who am I' });
    const [message] = await client.messages(roomId, 1);
    assert.equal(message?.memberName, alice.name);
    await client.close();
  });

  it('signs out everywhere: every earlier token is refused, a new login works at once', async () => {
    const alice = await signup(server.url);
    const second = (
      await call(server.url, 'POST', '/api/login', {
        body: { username: alice.name, password: 'correct horse' },
      })
    ).body.token as string;
    assert.equal(
      (await call(server.url, 'POST', '/api/logout', { token: alice.token })).status,
      204,
    );
    for (const token of [alice.token, second]) {
      assert.equal((await call(server.url, 'GET', '/api/me', { token })).status, 401);
      const client = await TestClient.connect(server.wsUrl, { token });
      assert.equal(await client.closed, 4401);
    }
    const fresh = await call(server.url, 'POST', '/api/login', {
      body: { username: alice.name, password: 'correct horse' },
    });
    assert.equal(
      (await call(server.url, 'GET', '/api/me', { token: fresh.body.token })).status,
      200,
    );
    assert.equal((await call(server.url, 'POST', '/api/logout')).status, 401);
  });
});

describe('hardening at start', () => {
  it('keeps DATA_DIR, the JWT secret and the database to their owner', async () => {
    const dataDir = join(mkdtempSync(join(tmpdir(), 'confab-test-')), 'data');
    const server = await startConfab({ DATA_DIR: dataDir });
    try {
      assert.equal(statSync(dataDir).mode & 0o777, 0o700);
      assert.equal(statSync(join(dataDir, 'jwt-secret')).mode & 0o777, 0o600);
      for (const file of ['confab.sqlite', 'confab.sqlite-wal']) {
        assert.equal(statSync(join(dataDir, file)).mode & 0o777, 0o600, file);
      }
    } finally {
      await server.stop();
      removeDataDir(server);
    }
  });

  it('keeps them to their owner with JWT_SECRET set too, and in a folder that exists', async () => {
    const parent = mkdtempSync(join(tmpdir(), 'confab-test-'));
    const made = join(parent, 'made');
    const existing = join(parent, 'existing');
    mkdirSync(existing, { mode: 0o755 });
    for (const dataDir of [made, existing]) {
      const server = await startConfab({ DATA_DIR: dataDir, JWT_SECRET: 'x'.repeat(32) });
      try {
        if (dataDir === made) assert.equal(statSync(dataDir).mode & 0o777, 0o700);
        for (const file of ['confab.sqlite', 'confab.sqlite-wal']) {
          assert.equal(statSync(join(dataDir, file)).mode & 0o777, 0o600, `${dataDir} ${file}`);
        }
      } finally {
        await server.stop();
      }
    }
    rmSync(parent, { recursive: true, force: true });
  });

  it('refuses to start on a JWT secret file that is empty or too short, naming it', async () => {
    for (const content of ['', 'abc\n']) {
      const dataDir = mkdtempSync(join(tmpdir(), 'confab-test-'));
      writeFileSync(join(dataDir, 'jwt-secret'), content);
      // Exit 2 and one line, as for a short JWT_SECRET; no stack trace.
      await assert.rejects(
        startConfab({ DATA_DIR: dataDir }),
        /exited with 2 before listening:\nconfab: [^\n]*jwt-secret holds \d+ characters[^\n]*\n$/,
      );
    }
  });

  it('says what it waits for when Redis does not answer, then exits', async () => {
    const closedPort = await freePort();
    const dataDir = mkdtempSync(join(tmpdir(), 'confab-test-'));
    const run = await runToExit({
      REDIS_URL: `redis://127.0.0.1:${closedPort}`,
      DATA_DIR: dataDir,
    });
    assert.equal(run.code, 1);
    assert.match(run.stdout, /waiting for Redis \(REDIS_URL\) to answer/);
    assert.match(
      run.stderr,
      new RegExp(`Redis at REDIS_URL \\(127\\.0\\.0\\.1:${closedPort}\\) did not answer`),
    );
  });
});

function rawHttp(port: number, request: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(request));
    let text = '';
    socket.on('data', (chunk) => {
      text += chunk;
    });
    socket.on('end', () => resolve(text));
    socket.on('error', reject);
  });
}

function jsonBody(response: string) {
  return JSON.parse(response.slice(response.indexOf('\r\n\r\n') + 4));
}

/** The HTTP status of a WebSocket upgrade: 101 when it opened. */
function upgradeStatus(wsUrl: string, origin: string | undefined): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${wsUrl}/api/ws`, origin ? { origin } : {});
    ws.once('open', () => {
      ws.close();
      resolve(101);
    });
    ws.once('unexpected-response', (_request, response) => {
      resolve(response.statusCode ?? 0);
      ws.terminate();
    });
    ws.once('error', reject);
  });
}
