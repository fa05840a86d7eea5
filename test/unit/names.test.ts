import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readableName } from '../../src/core/names.js';

describe('readableName', () => {
  it('makes two capitalised words', () => {
    for (let i = 0; i < 200; i++) assert.match(readableName(), /^[A-Z][a-z]+ [A-Z][a-z]+$/);
  });

  it('covers the word lists from first to last', () => {
    assert.equal(
      readableName(() => 0),
      'Amber Anchor',
    );
    assert.equal(
      readableName(() => 0.999999),
      'Zesty Zephyr',
    );
  });
});
