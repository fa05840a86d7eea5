import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { botMessage, errorFor, roomWithClient, sendCommand } from '../support/commands.js';
import { call } from '../support/http.js';
import { QuoteServer } from '../support/quote-server.js';
import { type ConfabProcess, removeDataDir, startConfab } from '../support/server.js';
import { TestClient } from '../support/ws-client.js';

describe('slash commands answered in-process (no AMQP_URL)', () => {
  let server: ConfabProcess;
  let quotes: QuoteServer;

  before(async () => {
    quotes = await QuoteServer.start();
    server = await startConfab({
      STOCK_QUOTE_URL: quotes.url,
      STOCK_QUOTE_TIMEOUT: '1s',
      COMMAND_TIMEOUT: '5s',
    });
  });
  after(async () => {
    await server.stop();
    removeDataDir(server);
    await quotes.close();
  });

  it('lists the commands over HTTP', async () => {
    const answer = await call(server.url, 'GET', '/api/commands');
    assert.equal(answer.status, 200);
    const names = answer.body.map((c: { name: string }) => c.name);
    assert.deepEqual(names, ['help', 'stock', 'time']);
    for (const command of answer.body) {
      assert.deepEqual(Object.keys(command).sort(), ['help', 'name', 'usage']);
      assert.match(command.usage, new RegExp(`^/${command.name}`));
    }
  });

  it('answers /stock=aapl.us with a bot message every member sees, stored in history', async () => {
    const { client, roomId } = await roomWithClient(server.url, server.wsUrl);
    const id = await sendCommand(client, roomId, '/stock=aapl.us');
    const [asked] = await client.messages(roomId, 1);
    assert.equal(asked?.message, '/stock=aapl.us');
    assert.equal(asked?.type, 'chat');
    assert.equal(asked?.clientId, id);
    const answer = await botMessage(client, roomId);
    assert.equal(answer.type, 'bot');
    assert.equal(answer.message, 'AAPL.US quote is $229.87 per share');
    assert.equal(answer.memberName, 'stock bot');
    assert.equal(answer.seq, (asked?.seq as number) + 1);
    const history = await call(server.url, 'GET', `/api/room/${roomId}/messages`);
    assert.equal(history.body.at(-1).message, 'AAPL.US quote is $229.87 per share');
    await client.close();
  });

  it('answers /help at once with every command and its help', async () => {
    const { client, roomId } = await roomWithClient(server.url, server.wsUrl);
    await sendCommand(client, roomId, '/help');
    const answer = await botMessage(client, roomId);
    assert.equal(answer.type, 'bot');
    for (const usage of ['/help', '/stock=<symbol>', '/time=<zone>']) {
      assert.ok(String(answer.message).includes(usage), `${usage} in ${answer.message}`);
    }
    await client.close();
  });

  it('refuses an unknown command with unknown_command after the ack, storing the text', async () => {
    const { client, roomId } = await roomWithClient(server.url, server.wsUrl);
    const id = await sendCommand(client, roomId, '/dance=now');
    const error = await errorFor(client, id);
    assert.equal(error.code, 'unknown_command');
    const [stored] = await client.messages(roomId, 1);
    assert.equal(stored?.message, '/dance=now');
    await client.close();
  });

  it('says so in a bot message for an unknown symbol, a broken or unreadable service and bad input', async () => {
    const { client, roomId } = await roomWithClient(server.url, server.wsUrl);
    const cases: Array<[string, string, RegExp]> = [
      ['/stock=nosuch.us', 'bot', /No quote for NOSUCH\.US: unknown symbol/],
      ['/stock=broken.us', 'failed', /HTTP 500/],
      ['/stock=garbage.us', 'failed', /unreadable/],
      ['/stock=huge.us', 'failed', /unreadable/],
      ['/stock=other.us', 'failed', /another symbol/],
      ['/stock=..', 'failed', /Give a stock symbol/],
      ['/stock=', 'failed', /Give a stock symbol/],
      ['/stock=a b/c', 'failed', /Give a stock symbol/],
      ['/time=Mars/Olympus', 'failed', /Unknown time zone/],
    ];
    for (const [text, type, expected] of cases) {
      await sendCommand(client, roomId, text);
      const answer = await botMessage(client, roomId);
      assert.equal(answer.type, type, text);
      assert.match(String(answer.message), expected, text);
    }
    await client.close();
  });

  it('answers /time with the time in a zone', async () => {
    const { client, roomId } = await roomWithClient(server.url, server.wsUrl);
    await sendCommand(client, roomId, '/time=Asia/Tokyo');
    const answer = await botMessage(client, roomId);
    assert.match(String(answer.message), /^It is \d\d:\d\d on \w+ \d+ \w+ \d{4} in Asia\/Tokyo/);
    await client.close();
  });

  it('answers a command typed on /api/serve', async () => {
    const { client, roomId, token } = await roomWithClient(server.url, server.wsUrl);
    const terminal = await TestClient.connect(server.wsUrl, {
      path: `/api/serve/${roomId}`,
      token,
    });
    terminal.send('/stock=msft.us\n');
    const answer = await botMessage(client, roomId);
    assert.equal(answer.message, 'MSFT.US quote is $503.4 per share');
    await terminal.close();
    await client.close();
  });
});

describe('a quote service that is down', () => {
  it('gives a failed bot message, and the server goes on', async () => {
    const quotes = await QuoteServer.start();
    const url = quotes.url;
    await quotes.close(); // nothing listens there any more: connections are refused
    const server = await startConfab({ STOCK_QUOTE_URL: url });
    try {
      const { client, roomId } = await roomWithClient(server.url, server.wsUrl);
      await sendCommand(client, roomId, '/stock=aapl.us');
      const answer = await botMessage(client, roomId);
      assert.equal(answer.type, 'failed');
      assert.match(String(answer.message), /cannot be reached/);
      await sendCommand(client, roomId, '/time');
      assert.match(String((await botMessage(client, roomId)).message), /in UTC/);
      await client.close();
    } finally {
      await server.stop();
      removeDataDir(server);
    }
  });

  it('gives command_timeout when no answer comes in COMMAND_TIMEOUT, and drops the late one', async () => {
    const quotes = await QuoteServer.start();
    quotes.hold = true;
    const server = await startConfab({
      STOCK_QUOTE_URL: quotes.url,
      STOCK_QUOTE_TIMEOUT: '10s',
      COMMAND_TIMEOUT: '500ms',
    });
    try {
      const { client, roomId } = await roomWithClient(server.url, server.wsUrl);
      const id = await sendCommand(client, roomId, '/stock=aapl.us');
      const error = await errorFor(client, id);
      assert.equal(error.code, 'command_timeout');
      quotes.release();
      // The late answer is dropped: the next command's answer is the next bot message.
      await sendCommand(client, roomId, '/time');
      assert.match(String((await botMessage(client, roomId)).message), /^It is/);
      const history = await call(server.url, 'GET', `/api/room/${roomId}/messages`);
      assert.equal(
        history.body.filter((m: { message: string }) => m.message.includes('quote is')).length,
        0,
      );
      await client.close();
    } finally {
      await server.stop();
      removeDataDir(server);
      await quotes.close();
    }
  });
});

describe('npm run bot', () => {
  it('stops with one line naming AMQP_URL when it is not set', () => {
    const main = join(import.meta.dirname, '..', '..', 'dist', 'src', 'bot', 'main.js');
    const run = spawnSync(process.execPath, [main], {
      env: { PATH: process.env.PATH ?? '' },
      encoding: 'utf8',
      timeout: 10_000,
    });
    assert.equal(run.status, 2);
    assert.match(run.stderr, /^confab bot: AMQP_URL must be set[^\n]*\n$/);
  });
});
