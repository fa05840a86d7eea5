import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parseConfig } from '../../src/config/config.js';

const docs = readFileSync(join(import.meta.dirname, '..', '..', 'docs', 'operations.md'), 'utf8');
const start = docs.indexOf('## Configuration');
const table = docs.slice(start, docs.indexOf('\n## ', start + 1));

/** The variables named in the first column of the configuration table (a row may name several). */
function documented(): string[] {
  const names = [...table.matchAll(/^\| ([^|]+) \|/gm)].flatMap((row) =>
    [...(row[1] ?? '').matchAll(/`([A-Z][A-Z0-9_]*)`/g)].map((name) => name[1] as string),
  );
  return [...new Set(names)].sort();
}

/** Every variable parseConfig looks at, from an empty environment (every one is read then). */
function read(): string[] {
  const names = new Set<string>();
  const env = new Proxy<Record<string, string | undefined>>(
    {},
    {
      get(_target, name) {
        if (typeof name === 'string') names.add(name);
        return undefined;
      },
    },
  );
  parseConfig(env);
  return [...names].sort();
}

describe('the configuration and docs/operations.md', () => {
  it('finds the configuration table', () => {
    assert.ok(start >= 0 && documented().length > 20, 'docs/operations.md lost its table');
  });

  it('documents every variable the server reads', () => {
    const missing = read().filter((name) => !documented().includes(name));
    assert.deepEqual(missing, [], 'read by src/config but not in the table of docs/operations.md');
  });

  it('documents no variable the server does not read', () => {
    const unread = documented().filter((name) => !read().includes(name));
    assert.deepEqual(unread, [], 'in the table of docs/operations.md but read by nothing');
  });
});
