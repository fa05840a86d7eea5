import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, parseConfig } from '../../src/config/config.js';

describe('parseConfig', () => {
  it('has the documented defaults', () => {
    const config = parseConfig({});
    assert.equal(config.port, 8080);
    assert.equal(config.host, '0.0.0.0');
    assert.equal(config.dataDir, './data');
    assert.equal(config.tokenTtl, '7d');
    assert.equal(config.allowGuests, true);
    assert.equal(config.messageRate, 1);
    assert.equal(config.messageBurst, 5);
    assert.equal(config.maxMessageChars, 4000);
    assert.equal(config.maxFrameBytes, 65536);
    assert.equal(config.logLevel, 'info');
    assert.ok(Object.isFrozen(config));
  });

  it('reads values and turns limits off with 0', () => {
    const config = parseConfig({
      PORT: '9000',
      MESSAGE_RATE: '0',
      CONNECTIONS_PER_IP: '0',
      ALLOW_GUESTS: 'false',
    });
    assert.equal(config.port, 9000);
    assert.equal(config.messageRate, 0);
    assert.equal(config.connectionsPerIp, 0);
    assert.equal(config.allowGuests, false);
  });

  it("understands the GoChat seed's LOG_OUTPUT and LOG_CONSOLE_LEVEL", () => {
    const both = parseConfig({
      LOG_OUTPUT: 'stdout,file',
      LOG_FILE: 'x.log',
      LOG_CONSOLE_LEVEL: 'warn',
      LOG_FILE_LEVEL: 'debug',
    });
    assert.deepEqual([both.logLevel, both.logFile, both.logFileLevel], ['warn', 'x.log', 'debug']);
    const fileOnly = parseConfig({ LOG_OUTPUT: 'file', LOG_FILE: 'x.log' });
    assert.deepEqual([fileOnly.logLevel, fileOnly.logFileLevel], ['silent', 'info']);
    const stdoutOnly = parseConfig({ LOG_OUTPUT: 'stdout', LOG_FILE: 'x.log' });
    assert.equal(stdoutOnly.logFile, undefined);
    assert.throws(() => parseConfig({ LOG_OUTPUT: 'file' }), /^ConfigError: LOG_FILE/);
    assert.throws(() => parseConfig({ LOG_OUTPUT: 'syslog' }), /LOG_OUTPUT/);
  });

  it('stops with one line naming the bad variable', () => {
    const bad: Array<[Record<string, string>, RegExp]> = [
      [{ PORT: 'eighty' }, /^PORT /],
      [{ PORT: '70000' }, /^PORT /],
      [{ MESSAGE_RATE: '-1' }, /^MESSAGE_RATE /],
      [{ ALLOW_GUESTS: 'maybe' }, /^ALLOW_GUESTS /],
      [{ LOG_LEVEL: 'loud' }, /^LOG_LEVEL /],
      [{ TOKEN_TTL: 'forever' }, /^TOKEN_TTL /],
      [{ JWT_SECRET: 'short' }, /^JWT_SECRET /],
      [{ DATABASE_URL: 'mysql://x' }, /^DATABASE_URL /],
      [{ DATABASE_URL: 'postgres://db/chat' }, /^JWT_SECRET is required with DATABASE_URL/],
      [{ REDIS_URL: 'not a url' }, /^REDIS_URL /],
    ];
    for (const [env, message] of bad) {
      assert.throws(
        () => parseConfig(env),
        (err: unknown) =>
          err instanceof ConfigError && message.test(err.message) && !err.message.includes('\n'),
        JSON.stringify(env),
      );
    }
  });
});

describe('parseConfig: commands and bots', () => {
  it('has the documented defaults', () => {
    const config = parseConfig({});
    assert.equal(config.commandTimeoutMs, 5_000);
    assert.equal(config.amqpPrefix, 'confab.');
    assert.equal(config.botConcurrency, 8);
    assert.equal(config.stockQuoteTimeoutMs, 3_000);
    assert.equal(config.stockQuoteUrl, 'https://stooq.com/q/l/?s={symbol}&f=sd2t2ohlcv&h&e=csv');
  });

  it('reads COMMAND_TIMEOUT as ms, s or m, and names it when it is bad', () => {
    assert.equal(parseConfig({ COMMAND_TIMEOUT: '1500ms' }).commandTimeoutMs, 1_500);
    assert.equal(parseConfig({ COMMAND_TIMEOUT: '10s' }).commandTimeoutMs, 10_000);
    assert.equal(parseConfig({ COMMAND_TIMEOUT: '1m' }).commandTimeoutMs, 60_000);
    assert.throws(() => parseConfig({ COMMAND_TIMEOUT: 'soon' }), /^ConfigError: COMMAND_TIMEOUT/);
    assert.throws(() => parseConfig({ COMMAND_TIMEOUT: '0s' }), /COMMAND_TIMEOUT/);
    assert.throws(() => parseConfig({ STOCK_QUOTE_URL: 'ftp://x/{symbol}' }), /STOCK_QUOTE_URL/);
  });
});
