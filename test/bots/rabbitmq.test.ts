import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { deleteQueues } from '../support/amqp.js';
import { type BotWorkerProcess, startBotWorker } from '../support/bot-worker.js';
import { botMessage, errorFor, roomWithClient, sendCommand } from '../support/commands.js';
import { call } from '../support/http.js';
import { QuoteServer } from '../support/quote-server.js';
import { type ConfabProcess, removeDataDir, startConfab } from '../support/server.js';
import { RUN_ID, skipUnless } from '../support/services.js';
import { TcpProxy } from '../support/tcp-proxy.js';
import type { TestClient } from '../support/ws-client.js';

const skip = skipUnless('AMQP_URL');
const AMQP_URL = process.env.AMQP_URL ?? '';

/** Sends `/time` until a bot answers it (the broker may still be coming back), within a deadline. */
async function answeredAgain(client: TestClient, roomId: string, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const id = await sendCommand(client, roomId, '/time');
    const reply = await client.next(
      (f) =>
        (f.type === 'error' && f.id === id) ||
        (f.type === 'message' && (f.data as { type: string }).type === 'bot'),
      10_000,
    );
    if (reply.type === 'message') return reply.data as Record<string, unknown>;
    assert.equal(reply.code, 'command_timeout');
    if (Date.now() > deadline) throw new Error('answers did not resume in time');
  }
}

describe('bot commands over RabbitMQ, node and worker in separate processes', { skip }, () => {
  const prefix = `${RUN_ID}.bots.`;
  let quotes: QuoteServer;
  /** COMMAND_TIMEOUT 1.5 s: the timeouts come quickly. */
  let node: ConfabProcess;
  /** COMMAND_TIMEOUT 20 s: room for a worker to be killed mid-command. */
  let patientNode: ConfabProcess;
  const workers: BotWorkerProcess[] = [];

  const workerEnv = () => ({
    AMQP_URL,
    AMQP_PREFIX: prefix,
    STOCK_QUOTE_URL: quotes.url,
    STOCK_QUOTE_TIMEOUT: '15s',
  });
  const worker = async () => {
    const started = await startBotWorker(workerEnv());
    workers.push(started);
    return started;
  };

  before(async () => {
    quotes = await QuoteServer.start();
    [node, patientNode] = await Promise.all([
      startConfab({ AMQP_URL, AMQP_PREFIX: prefix, COMMAND_TIMEOUT: '1500ms' }),
      startConfab({ AMQP_URL, AMQP_PREFIX: prefix, COMMAND_TIMEOUT: '20s' }),
    ]);
  });
  after(async () => {
    await Promise.all(workers.map((w) => w.kill()));
    for (const server of [node, patientNode]) {
      await server?.stop();
      if (server) removeDataDir(server);
    }
    await quotes?.close();
    await deleteQueues(AMQP_URL, prefix);
  });

  it('times out with no worker, answers once a worker runs, and again after it is restarted', async () => {
    const { client, roomId } = await roomWithClient(node.url, node.wsUrl);
    // No worker: the node answers nothing itself but /help.
    const id = await sendCommand(client, roomId, '/stock=aapl.us');
    assert.equal((await errorFor(client, id)).code, 'command_timeout');
    await sendCommand(client, roomId, '/help');
    assert.match(String((await botMessage(client, roomId)).message), /\/stock=<symbol>/);

    const first = await worker();
    await sendCommand(client, roomId, '/stock=aapl.us');
    const answer = await botMessage(client, roomId);
    assert.equal(answer.message, 'AAPL.US quote is $229.87 per share');
    assert.equal(answer.memberName, 'stock bot');

    assert.equal(await first.stop(), 0, 'SIGTERM stops the worker cleanly');
    const stopped = await sendCommand(client, roomId, '/stock=aapl.us');
    assert.equal((await errorFor(client, stopped)).code, 'command_timeout');

    await worker();
    await sendCommand(client, roomId, '/stock=msft.us');
    assert.equal((await botMessage(client, roomId)).message, 'MSFT.US quote is $503.4 per share');
    const history = await call(node.url, 'GET', `/api/room/${roomId}/messages`);
    const answers = history.body.filter((m: { type: string }) =>
      ['bot', 'failed'].includes(m.type),
    );
    assert.deepEqual(
      answers.map((m: { message: string }) => m.message.split('\n')[0]),
      ['Commands:', 'AAPL.US quote is $229.87 per share', 'MSFT.US quote is $503.4 per share'],
      'the timed-out commands left no answer behind',
    );
    await client.close();
  });

  it('answers bad symbols and a broken quote service with bot messages', async () => {
    if (workers.every((w) => w.child.exitCode !== null)) await worker();
    const { client, roomId } = await roomWithClient(node.url, node.wsUrl);
    const cases: Array<[string, string, RegExp]> = [
      ['/stock=nosuch.us', 'bot', /unknown symbol/],
      ['/stock=broken.us', 'failed', /HTTP 500/],
      ['/stock=garbage.us', 'failed', /unreadable/],
      ['/stock=<script>', 'failed', /Give a stock symbol/],
    ];
    for (const [text, type, expected] of cases) {
      await sendCommand(client, roomId, text);
      const answer = await botMessage(client, roomId);
      assert.equal(answer.type, type, text);
      assert.match(String(answer.message), expected, text);
    }
    const id = await sendCommand(client, roomId, '/nope');
    assert.equal((await errorFor(client, id)).code, 'unknown_command');
    await client.close();
  });

  it('answers exactly once when the worker holding the command is killed with SIGKILL', async () => {
    for (const w of workers) await w.stop();
    const { client, roomId } = await roomWithClient(patientNode.url, patientNode.wsUrl);
    quotes.hold = true;
    const doomed = await worker();
    const asked = quotes.asked.length;
    await sendCommand(client, roomId, '/stock=aapl.us');
    await quotes.requested(asked + 1); // the doomed worker is fetching the quote
    const survivor = await worker();
    await doomed.kill();
    quotes.release();
    const answer = await botMessage(client, roomId, 20_000);
    assert.equal(answer.message, 'AAPL.US quote is $229.87 per share');
    assert.equal(quotes.asked.length, asked + 2, 'the request was carried out again');

    // A later command's answer comes after any repeat of the first one would have.
    await sendCommand(client, roomId, '/time');
    assert.match(String((await botMessage(client, roomId)).message), /^It is/);
    const history = await call(patientNode.url, 'GET', `/api/room/${roomId}/messages`);
    const quotesPosted = history.body.filter((m: { message: string }) =>
      m.message.includes('quote is'),
    );
    assert.equal(quotesPosted.length, 1);
    assert.equal(await survivor.stop(), 0);
    await client.close();
  });

  it('on SIGTERM finishes the command it holds before it exits', async () => {
    const { client, roomId } = await roomWithClient(patientNode.url, patientNode.wsUrl);
    quotes.hold = true;
    const leaving = await worker();
    const asked = quotes.asked.length;
    await sendCommand(client, roomId, '/stock=msft.us');
    await quotes.requested(asked + 1);
    const exit = leaving.stop();
    await leaving.logged('bot worker stopping');
    quotes.release();
    assert.equal((await botMessage(client, roomId)).message, 'MSFT.US quote is $503.4 per share');
    assert.equal(await exit, 0);
    assert.equal(quotes.asked.length, asked + 1, 'answered by the worker that held it, once');
    await client.close();
  });
});

describe('bot commands when the broker goes away and comes back', { skip }, () => {
  const prefix = `${RUN_ID}.restart.`;
  let quotes: QuoteServer;
  let proxy: TcpProxy;
  let node: ConfabProcess;
  let bot: BotWorkerProcess;

  before(async () => {
    quotes = await QuoteServer.start();
    // Node and worker reach RabbitMQ through a proxy of this test's own, which it cuts
    // and restores: the shared broker, and other test runs on it, are left alone.
    const broker = new URL(AMQP_URL);
    proxy = await TcpProxy.start(Number(broker.port || 5672), broker.hostname);
    const viaProxy = new URL(AMQP_URL);
    viaProxy.host = `127.0.0.1:${proxy.port}`;
    const env = { AMQP_URL: viaProxy.href, AMQP_PREFIX: prefix };
    node = await startConfab({ ...env, COMMAND_TIMEOUT: '1500ms' });
    bot = await startBotWorker({ ...env, STOCK_QUOTE_URL: quotes.url });
  });
  after(async () => {
    await bot?.kill();
    await node?.stop();
    if (node) removeDataDir(node);
    await proxy?.close();
    await quotes?.close();
    await deleteQueues(AMQP_URL, prefix);
  });

  it('times out while the broker is away, then answers again, node and worker reconnected', async () => {
    const { client, roomId } = await roomWithClient(node.url, node.wsUrl);
    await sendCommand(client, roomId, '/stock=aapl.us');
    assert.equal((await botMessage(client, roomId)).message, 'AAPL.US quote is $229.87 per share');

    proxy.cut('reset');
    const id = await sendCommand(client, roomId, '/stock=aapl.us');
    assert.equal((await errorFor(client, id)).code, 'command_timeout', 'chat goes on; bots wait');

    proxy.restore();
    assert.match(String((await answeredAgain(client, roomId)).message), /^It is/);
    await bot.logged('broker connected', 2);
    await sendCommand(client, roomId, '/stock=msft.us');
    assert.equal((await botMessage(client, roomId)).message, 'MSFT.US quote is $503.4 per share');
    await client.close();
  });
});
