import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ObscenityScanner } from '../../src/adapters/content/obscenity-scanner.js';
import { ContentRules, isDenied, mask } from '../../src/core/content-rules.js';
import { ChatError } from '../../src/core/errors.js';

describe('content rules', () => {
  it('masks the characters of each range but spaces, one star per code point', () => {
    assert.equal(mask('ab cd ef', [{ start: 3, end: 5 }]), 'ab ** ef');
    assert.equal(mask('x 😀y z', [{ start: 2, end: 5 }]), 'x ** z');
    assert.equal(
      mask('abcdef', [
        { start: 3, end: 5 },
        { start: 0, end: 4 },
      ]),
      '*****f',
      'overlapping ranges, in any order',
    );
    assert.equal(mask('a b', [{ start: 0, end: 3 }]), '* *');
  });

  it('denies a domain and its subdomains, not names that merely end alike', () => {
    const denied = ['spam.example'];
    assert.ok(isDenied('spam.example', denied));
    assert.ok(isDenied('www.spam.example', denied));
    assert.ok(!isDenied('notspam.example', denied));
    assert.ok(!isDenied('spam.example.org', denied));
  });

  const scanner = new ObscenityScanner(['spam.xyz']);
  const rejected = (rules: ContentRules, text: string) => {
    try {
      rules.apply(text);
      return undefined;
    } catch (err) {
      assert.ok(err instanceof ChatError);
      assert.equal(err.code, 'message_rejected');
      return err.message;
    }
  };

  it('catches Unicode look-alikes and leetspeak, and spares words that only contain a listed one', () => {
    const rules = new ContentRules(scanner, { wordFilter: 'mask', maxLinks: 3, deniedDomains: [] });
    assert.equal(rules.apply('fück off'), '**** off');
    assert.equal(rules.apply('a b1tch'), 'a *****');
    assert.equal(rules.apply('ｆｕｃｋ'), '****');
    assert.equal(
      rules.apply('Scunthorpe, an assassin, a classic'),
      'Scunthorpe, an assassin, a classic',
    );
  });

  it('leaves numbers as written, though leetspeak reads words in their digits', () => {
    const rules = new ContentRules(scanner, { wordFilter: 'mask', maxLinks: 3, deniedDomains: [] });
    for (const text of [
      '4550 items',
      'it costs $4.55',
      '1,455.00',
      'at 14:55',
      'f:472135.445548508',
    ]) {
      assert.equal(rules.apply(text), text);
    }
    assert.equal(rules.apply('a55 and 455hole'), '*** and ***hole');
    assert.equal(rules.apply('@$$'), '***');
  });

  it('rejects with the rule named, or lets everything through when off', () => {
    const reject = new ContentRules(scanner, {
      wordFilter: 'reject',
      maxLinks: 1,
      deniedDomains: ['spam.xyz'],
    });
    assert.match(rejected(reject, 'shit') ?? '', /word filter/);
    assert.match(rejected(reject, 'a.com and b.org') ?? '', /at most 1 link \(the link rule\)/);
    assert.match(rejected(reject, 'buy at spam.xyz') ?? '', /spam\.xyz.*denied domains/);
    assert.equal(rejected(reject, 'fine at https://ok.example'), undefined);
    const off = new ContentRules(scanner, { wordFilter: 'off', maxLinks: 3, deniedDomains: [] });
    assert.equal(off.apply('shit'), 'shit');
  });
});
