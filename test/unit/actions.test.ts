import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkEmoji, searchWords } from '../../src/core/actions.js';
import { ChatError } from '../../src/core/errors.js';
import { mentions } from '../../src/core/offline-notifications.js';

describe('mentions', () => {
  it('finds @name whatever its case, not inside a word nor a longer name', () => {
    assert.equal(mentions('hi @Alice!', 'alice'), true);
    assert.equal(mentions('@alice', 'Alice'), true);
    assert.equal(mentions('see you, @alice.', 'alice'), true);
    assert.equal(mentions('@alice.b was here', 'alice'), false);
    assert.equal(mentions('@alice2 and @al', 'alice'), false);
    assert.equal(mentions('mail bob@alice.com', 'alice'), false);
    assert.equal(mentions('@ali @alice', 'alice'), true);
  });
});

describe('searchWords', () => {
  it('keeps runs of letters and digits, once each, at most ten', () => {
    assert.deepEqual(searchWords('  "Conf*" OR ab-12 café NEAR(x) '), [
      'Conf',
      'OR',
      'ab',
      '12',
      'café',
      'NEAR',
      'x',
    ]);
    assert.deepEqual(searchWords('!!! ***'), []);
    assert.equal(searchWords('a b c d e f g h i j k l').length, 10);
  });
});

describe('checkEmoji', () => {
  it('takes emoji and short names, refuses spaces, control characters, invisible marks and long strings', () => {
    for (const ok of ['👍', '👨‍👩‍👧‍👦', ':shipit:', '❤️', '🇫🇷', '1️⃣']) checkEmoji(ok);
    const invisible = ['\u200b', '\u00ad', '\u200d\ufe0f', '\u202e👍', '👍\u2066'];
    for (const bad of ['', 'a b', '\n', 'x'.repeat(17), '\ud800', ...invisible]) {
      assert.throws(
        () => checkEmoji(bad),
        (err) => err instanceof ChatError && err.code === 'invalid_request',
        JSON.stringify(bad),
      );
    }
  });
});
