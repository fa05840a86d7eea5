import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ERROR_CATALOGUE } from '../../src/core/errors.js';
import { CLOSE_CODES, ERROR_CODES } from '../../src/protocol/errors.js';

const docs = readFileSync(join(import.meta.dirname, '..', '..', 'docs', 'protocol.md'), 'utf8');
const errorsSection = docs.slice(docs.indexOf('## Errors'), docs.indexOf('## Close codes'));
const closeSection = docs.slice(docs.indexOf('## Close codes'), docs.indexOf('## Limits'));

describe('the error catalogue and the docs', () => {
  it('documents every error code with its HTTP status', () => {
    for (const code of ERROR_CODES) {
      const row = new RegExp(`^\\| \`${code}\` \\| ${ERROR_CATALOGUE[code].status} \\|`, 'm');
      assert.match(errorsSection, row, `docs/protocol.md lacks a row for ${code}`);
    }
  });

  it('documents no code the server cannot send', () => {
    const documented = [...errorsSection.matchAll(/^\| `([a-z_]+)` \|/gm)].map((m) => m[1]);
    assert.deepEqual(documented.sort(), [...ERROR_CODES].sort());
  });

  it('documents every close code', () => {
    for (const code of Object.values(CLOSE_CODES)) {
      assert.match(closeSection, new RegExp(`^\\| ${code} \\|`, 'm'), `close code ${code}`);
    }
  });
});
