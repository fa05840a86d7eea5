import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { deleteQueues } from '../support/amqp.js';
import { startBotWorker } from '../support/bot-worker.js';
import { confab, finished } from '../support/confab-cli.js';
import { call, createRoom, signup } from '../support/http.js';
import { removeDataDir, startConfab } from '../support/server.js';
import { RUN_ID, skipUnless } from '../support/services.js';
import { waitUntil } from '../support/wait.js';
import { TestClient } from '../support/ws-client.js';

/** Waits in the bot test: a worker's answer crosses RabbitMQ, on a machine that may be loaded. */
const LOADED_MS = 30_000;

describe('the confab command', () => {
  it('has help for every command and exit codes a script can trust', async () => {
    const help = await finished(['--help']);
    assert.equal(help.code, 0);
    for (const command of [
      'serve',
      'chat',
      'bot',
      'bench',
      'user create',
      'user reset-password',
      'user ban',
      'user unban',
      'room list',
      'room delete',
    ]) {
      assert.match(help.stdout, new RegExp(`confab ${command}`));
      const one = await finished(['help', ...command.split(' ')]);
      assert.equal(one.code, 0, `help ${command}`);
      assert.match(one.stdout, new RegExp(`^Usage: confab ${command}`));
    }
    const flag = await finished(['user', 'create', '--help']);
    assert.match(flag.stdout, /^Usage: confab user create/);
    const unknown = await finished(['frobnicate']);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /no command "frobnicate"/);
    assert.equal((await finished(['chat', '--nope'])).code, 2);
    assert.equal((await finished([])).code, 2);
  });

  it('creates users on the configured store, refusing a taken name with exit 1', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'confab-cli-'));
    const env = { DATA_DIR: dataDir, CONFAB_PASSWORD: 'correct horse' };
    const created = await finished(['user', 'create', 'carol'], env);
    assert.equal(created.code, 0, created.stderr);
    assert.match(created.stdout, /^created carol /);
    const again = await finished(['user', 'create', 'carol'], env);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /username_taken/);
    const piped = await finished(
      ['user', 'create', 'dave'],
      { DATA_DIR: dataDir },
      'battery staple\n',
    );
    assert.equal(piped.code, 0, piped.stderr);
    const bad = await finished(['user', 'create', 'x'], env);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /invalid_request/);

    const server = await startConfab({ DATA_DIR: dataDir });
    try {
      const login = await call(server.url, 'POST', '/api/login', {
        body: { username: 'dave', password: 'battery staple' },
      });
      assert.equal(login.status, 200);
      // The running server holds the SQLite file alone (SQLITE_LOCKING=exclusive, the default).
      const held = await finished(['user', 'create', 'erin'], env);
      assert.equal(held.code, 1);
      assert.match(held.stderr, /^confab: store_unavailable: .*SQLITE_LOCKING=normal\n$/);
    } finally {
      await server.stop();
    }
    const list = await finished(['room', 'list'], { DATA_DIR: dataDir });
    assert.equal(list.code, 0, list.stderr);
    removeDataDir(server);
  });

  it('chat: a guest in a terminal talks with a browser user, with names, times and history', async (t) => {
    const server = await startConfab();
    try {
      const alice = await signup(server.url, 'alice');
      const roomId = await createRoom(server.url, alice.token, { name: 'Lounge' });
      const a = await TestClient.connect(server.wsUrl, { token: alice.token });
      await a.request({ type: 'join', roomId });
      await a.request({ type: 'send', roomId, message: 'said before you came' });
      const bob = await signup(server.url, 'bob');
      const added = await call(server.url, 'POST', `/api/room/${roomId}/members`, {
        token: alice.token,
        body: { userId: bob.id },
      });
      assert.equal(added.status, 204);

      const chat = confab(['chat', '--url', server.url, '--room', 'lounge']);
      // A failed assertion must not leave the client running (it would hold the test file open).
      t.after(() => chat.child.kill());
      // A process start: on a loaded machine it can take longer than a wait's default.
      await waitUntil(
        'the terminal to join',
        () => chat.stdout().includes('* joined Lounge'),
        LOADED_MS,
      );
      // The room's recent history follows the join.
      await waitUntil('the recent history', () =>
        /\[\d\d:\d\d\] alice\S*: said before you came/.test(chat.stdout()),
      );

      await a.request({ type: 'send', roomId, message: 'hi from the browser' });
      await waitUntil('the live message', () =>
        /\] alice\S*: hi from the browser/.test(chat.stdout()),
      );

      chat.child.stdin?.write('hello from the terminal\n');
      const heard = await a.next(
        (f) =>
          f.type === 'message' &&
          (f.data as { message: string }).message === 'hello from the terminal',
      );
      const guestName = (heard.data as { memberName: string }).memberName;
      assert.ok(guestName.length > 0);
      chat.child.stdin?.write('/who\n');
      // Who is online in which room, and who is not (bob, added by alice, has no connection).
      await waitUntil('the member list', () =>
        chat
          .stdout()
          .includes(
            `* Lounge (current): online: ${alice.name}, ${guestName} (you); offline: ${bob.name}`,
          ),
      );
      // Everything was shown on joining: /history says there is nothing older.
      chat.child.stdin?.write('/history\n');
      await waitUntil('the top of the history', () =>
        chat.stdout().includes('* Lounge: no earlier messages'),
      );
      chat.child.stdin?.write('/rooms\n');
      await waitUntil('the room list', () => /\* Lounge \(public/.test(chat.stdout()));
      chat.child.stdin?.write('/quit\n');
      assert.equal(await chat.exited, 0, chat.stderr());
      await a.close();
    } finally {
      await server.stop();
      removeDataDir(server);
    }
  });

  it('chat: server commands go to the room from the terminal; a bot worker answers /time', {
    skip: skipUnless('AMQP_URL'),
  }, async (t) => {
    const AMQP_URL = process.env.AMQP_URL ?? '';
    const prefix = `${RUN_ID}.cli.`;
    const server = await startConfab({ AMQP_URL, AMQP_PREFIX: prefix });
    const worker = await startBotWorker({ AMQP_URL, AMQP_PREFIX: prefix });
    try {
      const alice = await signup(server.url, 'alice');
      const roomId = await createRoom(server.url, alice.token, { name: 'Bots' });
      const a = await TestClient.connect(server.wsUrl, { token: alice.token });
      await a.request({ type: 'join', roomId });
      const chat = confab(['chat', '--url', server.url, '--room', roomId]);
      t.after(() => chat.child.kill());
      await waitUntil(
        'the terminal to join',
        () => chat.stdout().includes('* joined Bots'),
        LOADED_MS,
      );

      // Not a client command: sent to the room as typed, and the worker answers there.
      chat.child.stdin?.write('/time=Europe/Paris\n');
      const text = (f: { type: string; data?: unknown }) =>
        f.type === 'message' ? (f.data as { message: string; type: string }) : undefined;
      const asked = await a.next((f) => text(f)?.message === '/time=Europe/Paris', LOADED_MS);
      assert.equal(text(asked)?.type, 'chat');
      await waitUntil(
        'the bot answer in the terminal',
        () => /\] time bot: It is \d\d:\d\d .* in Europe\/Paris/.test(chat.stdout()),
        LOADED_MS,
      );
      // /help is the client's, and lists the server's commands after its own.
      chat.child.stdin?.write('/help\n');
      await waitUntil(
        'the help',
        () => /Server commands[^\n]*\n(.*\n)*\s+\/time/.test(chat.stdout()),
        LOADED_MS,
      );
      // Doubled, it goes to the room: the server's /help answers there, for everyone.
      chat.child.stdin?.write('//help\n');
      const help = await a.next((f) => text(f)?.message === '/help', LOADED_MS);
      assert.notEqual((help.data as { memberId: string }).memberId, alice.id);
      await a.next(
        (f) => text(f)?.type === 'bot' && /\/stock/.test(text(f)?.message ?? ''),
        LOADED_MS,
      );
      // An unknown command is the server's to refuse, and the terminal says so.
      chat.child.stdin?.write('/nosuchthing\n');
      await waitUntil('the refusal', () => chat.stdout().includes('unknown_command'), LOADED_MS);
      chat.child.stdin?.write('/quit\n');
      assert.equal(await chat.exited, 0, chat.stderr());
      await a.close();
    } finally {
      await worker.stop();
      await server.stop();
      removeDataDir(server);
      await deleteQueues(AMQP_URL, prefix);
    }
  });

  it('chat: piped lines are all sent and acknowledged before it exits', async () => {
    const server = await startConfab();
    try {
      const alice = await signup(server.url, 'alice');
      const roomId = await createRoom(server.url, alice.token, { name: 'Piped' });
      const lines = Array.from({ length: 20 }, (_, i) => `line ${i}`);
      const run = await finished(
        ['chat', '--url', server.url, '--room', roomId],
        {},
        `${lines.join('\n')}\n`,
      );
      assert.equal(run.code, 0, run.stderr);
      const history = await call(server.url, 'GET', `/api/room/${roomId}/messages?limit=50`);
      const chats = (history.body as Array<{ type: string; message: string }>)
        .filter((m) => m.type === 'chat')
        .map((m) => m.message);
      assert.deepEqual(chats, lines);
    } finally {
      await server.stop();
      removeDataDir(server);
    }
  });

  it('chat: a login with a wrong password exits 1', async () => {
    const server = await startConfab();
    try {
      const alice = await signup(server.url, 'alice');
      const run = await finished(['chat', '--url', server.url, '--user', alice.name], {
        CONFAB_PASSWORD: 'wrong password',
      });
      assert.equal(run.code, 1);
      assert.match(run.stderr, /Wrong username or password/);
    } finally {
      await server.stop();
      removeDataDir(server);
    }
  });
});
