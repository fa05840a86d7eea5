import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { finished } from '../support/confab-cli.js';
import { freePort } from '../support/free-port.js';
import { runToExit } from '../support/server.js';

const JWT_SECRET = 'start-failures-secret-0123456789abcdef';

/** One line on stderr, naming the setting; no stack trace. */
function assertOneLine(stderr: string, pattern: RegExp): void {
  assert.match(stderr, pattern);
  assert.doesNotMatch(stderr, /\n\s+at /, stderr);
  assert.equal(stderr.trimEnd().split('\n').length, 1, stderr);
}

// A careless operator's settings that parse but cannot be used: the start
// stops with one line naming the setting and a code a script can trust.
describe('a start that fails on a setting', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'confab-start-'));
  const aFile = join(scratch, 'a-file');
  writeFileSync(aFile, 'not a folder\n');
  after(() => rmSync(scratch, { recursive: true, force: true }));

  it('names PORT and HOST when the port is taken (exit 1)', async () => {
    const holder = createServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    const port = (holder.address() as { port: number }).port;
    try {
      const run = await runToExit({
        PORT: String(port),
        DATA_DIR: join(scratch, 'port'),
        LOG_LEVEL: 'warn',
      });
      assert.equal(run.code, 1);
      assertOneLine(run.stderr, /^confab: cannot start: PORT, HOST: .*EADDRINUSE/);
    } finally {
      holder.close();
    }
  });

  it('names DATA_DIR when it cannot be a folder (exit 1)', async () => {
    const run = await runToExit({ DATA_DIR: join(aFile, 'data'), LOG_LEVEL: 'warn' });
    assert.equal(run.code, 1);
    assertOneLine(run.stderr, /^confab: cannot start: DATA_DIR: ENOTDIR/);
  });

  it('names DATABASE_URL when PostgreSQL does not answer (exit 1)', async () => {
    const run = await runToExit({
      DATABASE_URL: `postgres://postgres@127.0.0.1:${await freePort()}/confab`,
      JWT_SECRET,
      LOG_LEVEL: 'warn',
    });
    assert.equal(run.code, 1);
    assertOneLine(run.stderr, /^confab: cannot start: DATABASE_URL: .*ECONNREFUSED/);
  });

  it('names AMQP_URL when RabbitMQ does not answer, for the server and a bot worker (exit 1)', async () => {
    const amqp = `amqp://guest:guest@127.0.0.1:${await freePort()}`;
    const server = await runToExit({
      AMQP_URL: amqp,
      DATA_DIR: join(scratch, 'amqp'),
      LOG_LEVEL: 'error',
    });
    assert.equal(server.code, 1);
    assertOneLine(server.stderr, /^confab: cannot start: AMQP_URL: .*ECONNREFUSED/);
    const bot = await finished(['bot'], { AMQP_URL: amqp, LOG_LEVEL: 'error' });
    assert.equal(bot.code, 1);
    assertOneLine(bot.stderr, /^confab bot: cannot start: AMQP_URL: .*ECONNREFUSED/);
  });

  it('names LOG_FILE when it cannot be written (exit 2, a bad value)', async () => {
    const run = await runToExit({
      LOG_FILE: join(aFile, 'confab.log'),
      DATA_DIR: join(scratch, 'log'),
      LOG_LEVEL: 'warn',
    });
    assert.equal(run.code, 2);
    assertOneLine(run.stderr, /^confab: LOG_FILE cannot be written: /);
  });
});
