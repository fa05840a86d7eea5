import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { MemoryBus } from '../../src/adapters/bus/memory-bus.js';
import { openSqliteStore } from '../../src/adapters/store/sqlite/open-sqlite-store.js';
import { Commands } from '../../src/core/commands/commands.js';
import { parseCommand } from '../../src/core/commands/parse-command.js';
import { Delivery } from '../../src/core/delivery/delivery.js';
import type { User } from '../../src/core/domain.js';
import type { ChatError } from '../../src/core/errors.js';
import type {
  CommandAnswer,
  CommandQueue,
  CommandRequest,
} from '../../src/core/ports/command-queue.js';
import type { Store } from '../../src/core/ports/store.js';
import { waitUntil } from '../support/wait.js';

/** A queue whose answers the test hands back itself: when, and how many times. */
class HandQueue implements CommandQueue {
  readonly requests: CommandRequest[] = [];
  private onAnswer: ((answer: CommandAnswer) => void) | undefined;
  async start(onAnswer: (answer: CommandAnswer) => void) {
    this.onAnswer = onAnswer;
  }
  async request(request: CommandRequest) {
    this.requests.push(request);
  }
  async close() {}
  answer(request: CommandRequest, text: string) {
    this.onAnswer?.({
      correlationId: request.correlationId,
      name: request.name,
      type: 'bot',
      text,
    });
  }
}

describe('parseCommand', () => {
  it('reads /name, /name=args and /name args, the name in any case', () => {
    assert.deepEqual(parseCommand('/stock=aapl.us'), { name: 'stock', args: 'aapl.us' });
    assert.deepEqual(parseCommand('/Stock aapl.us '), { name: 'stock', args: 'aapl.us' });
    assert.deepEqual(parseCommand('/help'), { name: 'help', args: '' });
    assert.deepEqual(parseCommand('/'), { name: '', args: '' });
    assert.deepEqual(parseCommand('//x'), { name: '', args: '' });
  });
});

describe('Commands', () => {
  let dir: string;
  let store: Store;
  let delivery: Delivery;
  const user: User = { id: 'u1', name: 'alice', guest: false };
  const roomId = 'room-1';

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'confab-commands-'));
    store = await openSqliteStore(dir, 'normal', 'exclusive');
    delivery = new Delivery(store, new MemoryBus(), () => {});
    await delivery.start();
    await store.createUser(user, null);
    await store.createRoom({
      id: roomId,
      name: 'r',
      visibility: 'public',
      createdBy: user.id,
      createdAt: new Date().toISOString(),
    });
  });
  after(async () => {
    await delivery.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const stored = async (text: string) =>
    (
      await store.append({
        id: crypto.randomUUID(),
        roomId,
        memberId: user.id,
        memberName: user.name,
        type: 'chat',
        message: text,
        sent: new Date().toISOString(),
      })
    ).message;
  const botAnswers = async () =>
    (await store.history(roomId, { limit: 200 })).filter((m) => m.type === 'bot');

  it('posts the first answer to a request and drops a second one', async () => {
    const queue = new HandQueue();
    const commands = new Commands(
      store,
      delivery,
      queue,
      [{ name: 'echo', usage: '/echo', help: '' }],
      5_000,
      () => {},
    );
    await commands.start();
    const errors: ChatError[] = [];
    commands.run(await stored('/echo=once'), user, (e) => errors.push(e));
    const [request] = queue.requests;
    assert.ok(request);
    assert.equal(request.args, 'once');
    const before = (await botAnswers()).length;
    queue.answer(request, 'first');
    queue.answer(request, 'second');
    await waitUntil('the answer is stored', async () => (await botAnswers()).length > before);
    // Both answers were handed over before the first was stored: a second post would be here too.
    const answers = (await botAnswers()).slice(before);
    assert.deepEqual(
      answers.map((m) => m.message),
      ['first'],
    );
    assert.equal(answers[0]?.memberName, 'echo bot');
    assert.deepEqual(errors, []);
    commands.close();
  });

  it('answers command_timeout when no answer comes in time, and drops the late answer', async () => {
    const queue = new HandQueue();
    const commands = new Commands(
      store,
      delivery,
      queue,
      [{ name: 'echo', usage: '/echo', help: '' }],
      50,
      () => {},
    );
    await commands.start();
    const errors: ChatError[] = [];
    commands.run(await stored('/echo=late'), user, (e) => errors.push(e));
    await waitUntil('the timeout', () => errors.length > 0);
    assert.equal(errors[0]?.code, 'command_timeout');
    const before = (await botAnswers()).length;
    const [request] = queue.requests;
    assert.ok(request);
    queue.answer(request, 'too late');
    assert.equal((await botAnswers()).length, before);
    commands.close();
  });

  it('refuses an unknown command at once, without asking a bot', async () => {
    const queue = new HandQueue();
    const commands = new Commands(store, delivery, queue, [], 5_000, () => {});
    const errors: ChatError[] = [];
    commands.run(await stored('/nope'), user, (e) => errors.push(e));
    assert.equal(errors[0]?.code, 'unknown_command');
    assert.equal(queue.requests.length, 0);
    assert.deepEqual(
      commands.list.map((c) => c.name),
      ['help'],
    );
  });
});
