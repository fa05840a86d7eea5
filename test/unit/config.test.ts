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
