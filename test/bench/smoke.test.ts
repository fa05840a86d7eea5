import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { createTestDatabase } from '../support/postgres.js';
import { type ProcessResult, runNode } from '../support/run-process.js';
import { RUN_ID } from '../support/services.js';

const ROOT = join(import.meta.dirname, '..', '..');

/**
 * Runs `npm run bench` as a user would (through tsx), with tiny sizes. With
 * DATABASE_URL set, the PostgreSQL variants run on a database of this run's
 * own and a Redis prefix of its own, never on the shared ones.
 */
async function bench(args: string[]): Promise<ProcessResult> {
  const database = process.env.DATABASE_URL ? await createTestDatabase('bench') : undefined;
  const env = {
    ...process.env,
    ...(database ? { DATABASE_URL: database.url, REDIS_PREFIX: `${RUN_ID}:bench:` } : {}),
  };
  try {
    return await runBench(args, env);
  } finally {
    await database?.drop();
  }
}

function runBench(args: string[], env: NodeJS.ProcessEnv): Promise<ProcessResult> {
  return runNode(['--import', 'tsx', 'bench/cli.ts', ...args], { cwd: ROOT, env });
}

describe('npm run bench (smoke run, tiny sizes)', () => {
  const out = mkdtempSync(join(tmpdir(), 'confab-bench-smoke-'));
  after(() => rmSync(out, { recursive: true, force: true }));

  it('runs every local scenario against Confab and the peers, with zero errors and one JSON document', async () => {
    const { code, stdout, stderr } = await bench([
      'seed',
      'fanout',
      'idle',
      'store',
      '--vs',
      'floor,socketio',
      '--runs',
      '1',
      '--workers',
      '2',
      '--cases',
      '3',
      '--warmup',
      '1',
      '--members',
      '4',
      '--messages',
      '3',
      '--connections',
      '10',
      '--senders',
      '2',
      '--json',
      '--quiet',
      '--out',
      out,
    ]);
    assert.equal(code, 0, stderr);
    const doc = JSON.parse(stdout);
    assert.equal(doc.tool, 'confab-bench');
    assert.equal(doc.errors, 0);
    const ids = doc.variants.map((v: { id: string }) => v.id);
    for (const id of ['seed', 'fanout:4', 'idle', 'store:sqlite']) assert.ok(ids.includes(id), id);
    for (const variant of doc.variants) {
      if (variant.skip) continue;
      const confab = variant.targets.confab;
      assert.equal(confab.status, 'ok', `${variant.id}: ${confab.reason}`);
      assert.equal(confab.runs.length, 1);
      assert.equal(confab.medians.errors, 0);
      assert.ok(confab.medians.throughput > 0, variant.id);
      for (const peer of ['floor', 'socketio']) {
        const entry = variant.targets[peer];
        if (variant.id.startsWith('store')) {
          assert.equal(entry.status, 'skipped');
          continue;
        }
        assert.equal(entry.status, 'ok', `${variant.id} ${peer}: ${entry.reason}`);
        assert.ok(variant.ratios[peer], `${variant.id} ratios vs ${peer}`);
      }
    }
    const seed = doc.variants.find((v: { id: string }) => v.id === 'seed');
    for (const key of ['p50', 'p90', 'p99', 'max']) {
      assert.equal(typeof seed.targets.confab.medians.latency[key], 'number');
    }
    assert.equal(seed.targets.confab.runs[0].ops, 6);
    const fan = doc.variants.find((v: { id: string }) => v.id === 'fanout:4');
    assert.equal(fan.targets.confab.runs[0].ops, 12, 'every member received every message');
    assert.ok(stderr.includes('confab/floor'), 'the table went to stderr');
    assert.ok(existsSync(join(out, 'latest.json')));
    assert.match(readFileSync(join(out, 'latest.html'), 'utf8'), /<svg/);
  });
});
