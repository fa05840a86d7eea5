import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { linkify } from '../../web/src/text/linkify.js';

describe('linkify', () => {
  it('leaves plain text, markup included, as one text segment', () => {
    assert.deepEqual(linkify('<img src=x onerror=alert(1)>'), [
      { kind: 'text', text: '<img src=x onerror=alert(1)>' },
    ]);
  });

  it('turns http and https addresses into links', () => {
    assert.deepEqual(linkify('see https://example.com/a?b=1#c now'), [
      { kind: 'text', text: 'see ' },
      { kind: 'link', text: 'https://example.com/a?b=1#c', href: 'https://example.com/a?b=1#c' },
      { kind: 'text', text: ' now' },
    ]);
    assert.equal(linkify('http://example.org')[0]?.kind, 'link');
  });

  it('never links other schemes', () => {
    for (const text of ['javascript:alert(1)', 'data:text/html,<b>x</b>', 'ftp://example.com']) {
      assert.deepEqual(linkify(text), [{ kind: 'text', text }]);
    }
  });

  it('leaves sentence punctuation outside the link', () => {
    const [, link, rest] = linkify('Docs: https://example.com/guide.');
    assert.equal(link?.text, 'https://example.com/guide');
    assert.deepEqual(rest, { kind: 'text', text: '.' });
  });

  it('keeps a closing parenthesis that belongs to the address', () => {
    const [, link] = linkify('(https://en.wikipedia.org/wiki/Foo_(bar))');
    assert.equal(link?.text, 'https://en.wikipedia.org/wiki/Foo_(bar)');
  });

  it('stops at quotes and angle brackets', () => {
    const segments = linkify('<a href="https://evil.example/x">');
    const link = segments.find((s) => s.kind === 'link');
    assert.equal(link?.text, 'https://evil.example/x');
    assert.equal(segments.map((s) => s.text).join(''), '<a href="https://evil.example/x">');
  });
});
