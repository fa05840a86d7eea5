import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseConfig } from '../../src/config/config.js';
import { ConfigError } from '../../src/config/env-reader.js';

describe('parseConfig', () => {
  it('has the documented defaults', () => {
    const config = parseConfig({});
    assert.equal(config.transport.port, 8080);
    assert.equal(config.transport.host, '0.0.0.0');
    assert.equal(config.dataDir, './data');
    assert.equal(config.auth.tokenTtl, '7d');
    assert.equal(config.transport.allowGuests, true);
    assert.deepEqual(config.limits.messages, { points: 1, durationMs: 1000, burst: 5 });
    assert.equal(config.chat.maxMessageChars, 4000);
    assert.equal(config.transport.maxFrameBytes, 65536);
    assert.equal(config.log.level, 'info');
    assert.deepEqual(
      [config.postgres, config.redis, config.amqp, config.notify],
      [undefined, undefined, undefined, undefined],
    );
    assert.ok(Object.isFrozen(config));
    assert.ok(Object.isFrozen(config.transport), 'every group is frozen too');
    assert.ok(Object.isFrozen(config.bots.stock));
  });

  it('reads values and turns limits off with 0', () => {
    const config = parseConfig({
      PORT: '9000',
      MESSAGE_RATE: '0',
      CONNECTIONS_PER_IP: '0',
      ALLOW_GUESTS: 'false',
    });
    assert.equal(config.transport.port, 9000);
    assert.equal(config.limits.messages, undefined);
    assert.equal(config.transport.connectionsPerIp, 0);
    assert.equal(config.transport.allowGuests, false);
  });

  it('has every count limit on by default, and RATE_LIMITS=off turns them all off', () => {
    const on = parseConfig({});
    assert.deepEqual(on.limits, {
      messages: { points: 1, durationMs: 1000, burst: 5 },
      joins: { points: 30, durationMs: 60_000 },
      typing: { points: 5, durationMs: 5_000 },
      reads: { points: 4, durationMs: 1_000 },
      logins: { points: 10, durationMs: 15 * 60_000 },
      rooms: { points: 30, durationMs: 60_000 },
      guests: { points: 60, durationMs: 60_000 },
      signups: { points: 20, durationMs: 3_600_000 },
    });
    assert.deepEqual([on.transport.connectionsPerUser, on.transport.connectionsPerIp], [16, 256]);
    const off = parseConfig({ RATE_LIMITS: 'off', LOGIN_RATE: '3/1h' });
    assert.ok(Object.values(off.limits).every((rule) => rule === undefined));
    assert.deepEqual([off.transport.connectionsPerUser, off.transport.connectionsPerIp], [0, 0]);
    assert.equal(off.content.wordFilter, 'mask', 'content rules stay');
    assert.equal(parseConfig({ MESSAGE_RATE: '0.5' }).limits.messages?.durationMs, 2000);
    assert.equal(parseConfig({ JOIN_RATE: 'off' }).limits.joins, undefined);
    assert.deepEqual(parseConfig({ LOGIN_RATE: '5/2h' }).limits.logins, {
      points: 5,
      durationMs: 7_200_000,
    });
  });

  it('reads the content rules and offline notification settings', () => {
    const defaults = parseConfig({});
    assert.deepEqual(defaults.content, { wordFilter: 'mask', maxLinks: 3, deniedDomains: [] });
    assert.equal(defaults.notify, undefined);
    const hook = {
      NOTIFY_WEBHOOK_URL: 'https://hooks.example/confab',
      NOTIFY_WEBHOOK_SECRET: 's3',
    };
    assert.equal(parseConfig(hook).notify?.afterMs, 300_000);
    const set = parseConfig({
      WORD_FILTER: 'reject',
      MAX_LINKS: '0',
      DENIED_DOMAINS: 'Spam.Example, bücher.example,',
      NOTIFY_WEBHOOK_URL: 'https://hooks.example/confab',
      NOTIFY_WEBHOOK_SECRET: 's3cret',
      NOTIFY_AFTER: '300ms',
    });
    assert.deepEqual(set.content, {
      wordFilter: 'reject',
      maxLinks: 0,
      deniedDomains: ['spam.example', 'xn--bcher-kva.example'],
    });
    assert.deepEqual(set.notify, {
      webhookUrl: 'https://hooks.example/confab',
      webhookSecret: 's3cret',
      afterMs: 300,
    });
  });

  it("understands the GoChat seed's LOG_OUTPUT and LOG_CONSOLE_LEVEL", () => {
    const both = parseConfig({
      LOG_OUTPUT: 'stdout,file',
      LOG_FILE: 'x.log',
      LOG_CONSOLE_LEVEL: 'warn',
      LOG_FILE_LEVEL: 'debug',
    });
    assert.deepEqual(both.log, { level: 'warn', file: 'x.log', fileLevel: 'debug' });
    const fileOnly = parseConfig({ LOG_OUTPUT: 'file', LOG_FILE: 'x.log' });
    assert.deepEqual([fileOnly.log.level, fileOnly.log.fileLevel], ['silent', 'info']);
    const stdoutOnly = parseConfig({ LOG_OUTPUT: 'stdout', LOG_FILE: 'x.log' });
    assert.equal(stdoutOnly.log.file, undefined);
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
      [{ LOGIN_RATE: '10' }, /^LOGIN_RATE /],
      [{ JOIN_RATE: '0/1m' }, /^JOIN_RATE /],
      [{ TYPING_RATE: '5/500ms' }, /^TYPING_RATE /],
      [{ RATE_LIMITS: 'sometimes' }, /^RATE_LIMITS /],
      [{ WORD_FILTER: 'censor' }, /^WORD_FILTER /],
      [{ MAX_LINKS: '-1' }, /^MAX_LINKS /],
      [{ DENIED_DOMAINS: 'ok.example, https://x.example/' }, /^DENIED_DOMAINS /],
      [{ NOTIFY_AFTER: 'soon' }, /^NOTIFY_AFTER /],
      [{ NOTIFY_WEBHOOK_URL: 'ftp://x' }, /^NOTIFY_WEBHOOK_URL /],
      [{ NOTIFY_WEBHOOK_URL: 'https://hooks.example/x' }, /^NOTIFY_WEBHOOK_SECRET is required/],
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

  it('reads SHUTDOWN_TIMEOUT as a duration, and SHUTDOWN_GRACE_MS with a deprecation', () => {
    assert.equal(parseConfig({}).shutdownTimeoutMs, 10_000);
    assert.equal(parseConfig({ SHUTDOWN_TIMEOUT: '3s' }).shutdownTimeoutMs, 3_000);
    assert.equal(parseConfig({ SHUTDOWN_TIMEOUT: '250ms' }).shutdownTimeoutMs, 250);
    const old = parseConfig({ SHUTDOWN_GRACE_MS: '4000' });
    assert.equal(old.shutdownTimeoutMs, 4_000);
    assert.match(old.deprecations[0] ?? '', /SHUTDOWN_GRACE_MS.*SHUTDOWN_TIMEOUT/);
    assert.deepEqual(parseConfig({ SHUTDOWN_TIMEOUT: '2s' }).deprecations, []);
    assert.throws(
      () => parseConfig({ SHUTDOWN_TIMEOUT: 'soon' }),
      /^ConfigError: SHUTDOWN_TIMEOUT/,
    );
  });

  it('reads DEFAULT_ROOMS, where empty makes none', () => {
    assert.deepEqual(parseConfig({}).defaultRooms, ['general', 'random']);
    assert.deepEqual(parseConfig({ DEFAULT_ROOMS: '' }).defaultRooms, []);
    assert.deepEqual(parseConfig({ DEFAULT_ROOMS: 'lobby, help ,lobby' }).defaultRooms, [
      'lobby',
      'help',
    ]);
  });
});

describe('parseConfig: commands and bots', () => {
  it('has the documented defaults', () => {
    const config = parseConfig({});
    assert.deepEqual(config.commands, { timeoutMs: 5_000, concurrency: 8 });
    assert.equal(parseConfig({ AMQP_URL: 'amqp://mq' }).amqp?.prefix, 'confab.');
    assert.deepEqual(config.bots.stock, {
      quoteUrl: 'https://stooq.com/q/l/?s={symbol}&f=sd2t2ohlcv&h&e=csv',
      timeoutMs: 3_000,
    });
  });

  it('reads COMMAND_TIMEOUT as ms, s or m, and names it when it is bad', () => {
    assert.equal(parseConfig({ COMMAND_TIMEOUT: '1500ms' }).commands.timeoutMs, 1_500);
    assert.equal(parseConfig({ COMMAND_TIMEOUT: '10s' }).commands.timeoutMs, 10_000);
    assert.equal(parseConfig({ COMMAND_TIMEOUT: '1m' }).commands.timeoutMs, 60_000);
    assert.throws(() => parseConfig({ COMMAND_TIMEOUT: 'soon' }), /^ConfigError: COMMAND_TIMEOUT/);
    assert.throws(() => parseConfig({ COMMAND_TIMEOUT: '0s' }), /COMMAND_TIMEOUT/);
    assert.throws(() => parseConfig({ STOCK_QUOTE_URL: 'ftp://x/{symbol}' }), /STOCK_QUOTE_URL/);
  });
});
