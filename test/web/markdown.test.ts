import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  type MdNode,
  mentionedNames,
  parseMarkdown,
  plainText,
} from '../../web/src/text/markdown.js';
import { mentionMatches, mentionQuery } from '../../web/src/text/mentions.js';

/** The one paragraph's children, as most messages are one paragraph. */
function inline(text: string, names: string[] = []): MdNode[] {
  const [first, ...rest] = parseMarkdown(text, names);
  assert.equal(rest.length, 0);
  assert.equal(first?.kind, 'paragraph');
  return first.kind === 'paragraph' ? first.children : [];
}

const links = (nodes: readonly MdNode[]): string[] =>
  nodes.flatMap((n) => (n.kind === 'link' ? [n.href] : 'children' in n ? links(n.children) : []));

describe('markdown', () => {
  it('leaves markup, script and event attributes as text', () => {
    for (const text of [
      '<img src=x onerror=alert(1)>',
      '<script>alert(1)</script>',
      '<a href="javascript:alert(1)">x</a>',
    ]) {
      assert.deepEqual(inline(text), [{ kind: 'text', text }]);
    }
  });

  it('draws inline code, bold, italic and strikethrough', () => {
    assert.deepEqual(inline('**b** _i_ `c` ~~s~~'), [
      { kind: 'strong', children: [{ kind: 'text', text: 'b' }] },
      { kind: 'text', text: ' ' },
      { kind: 'em', children: [{ kind: 'text', text: 'i' }] },
      { kind: 'text', text: ' ' },
      { kind: 'code', text: 'c' },
      { kind: 'text', text: ' ' },
      { kind: 'del', children: [{ kind: 'text', text: 's' }] },
    ]);
  });

  it('draws quotes and fenced code blocks, whose text stays text', () => {
    assert.deepEqual(parseMarkdown('> said\n\n```\n<b>x</b>\n```'), [
      {
        kind: 'quote',
        children: [{ kind: 'paragraph', children: [{ kind: 'text', text: 'said' }] }],
      },
      { kind: 'codeblock', text: '<b>x</b>' },
    ]);
  });

  it('links only http and https, whatever the syntax', () => {
    const nodes = inline(
      '[a](javascript:alert(1)) [b](data:text/html,x) [c](vbscript:x) <javascript:alert(1)> [d](https://ok.example/d) <http://ok.example/e> https://ok.example/f',
    );
    assert.deepEqual(links(nodes), [
      'https://ok.example/d',
      'http://ok.example/e',
      'https://ok.example/f',
    ]);
    assert.equal(
      plainText(nodes).startsWith('[a](javascript:alert(1)) [b](data:text/html,x)'),
      true,
    );
  });

  it('links a bare address only with its scheme, less trailing punctuation', () => {
    assert.deepEqual(links(inline('example.com and ftp://example.com')), []);
    assert.deepEqual(links(inline('Docs: https://example.com/guide.')), [
      'https://example.com/guide',
    ]);
    assert.deepEqual(links(inline('(https://en.wikipedia.org/wiki/Foo_(bar))')), [
      'https://en.wikipedia.org/wiki/Foo_(bar)',
    ]);
  });

  it('leaves images, headings and lists as typed', () => {
    assert.deepEqual(inline('# title\n- item'), [{ kind: 'text', text: '# title\n- item' }]);
    assert.equal(plainText(parseMarkdown('![x](https://e.example/x.png)')), '!x');
  });

  it('finds mentions, names with a space among the members included, not in code or addresses', () => {
    const nodes = parseMarkdown('hi @bob, @Imperfect Seat! a@b.com `@carol` @dan.', [
      'Imperfect Seat',
    ]);
    assert.deepEqual(mentionedNames(nodes), ['bob', 'Imperfect Seat', 'dan']);
  });
});

describe('mention suggestions', () => {
  it('knows the @name being typed before the caret', () => {
    assert.deepEqual(mentionQuery('hello @al', 9), { start: 6, typed: 'al' });
    assert.deepEqual(mentionQuery('@', 1), { start: 0, typed: '' });
    assert.equal(mentionQuery('mail a@b', 8), null);
    assert.equal(mentionQuery('hello al', 8), null);
  });

  it('offers the members whose name starts so, oneself left out', () => {
    const members = [
      { id: '1', name: 'alice' },
      { id: '2', name: 'Albert' },
      { id: '3', name: 'bob' },
    ];
    assert.deepEqual(
      mentionMatches(members, 'al', '1').map((m) => m.name),
      ['Albert'],
    );
    assert.equal(mentionMatches(members, '', '3').length, 2);
  });
});
