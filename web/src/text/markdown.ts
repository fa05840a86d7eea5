import MarkdownIt from 'markdown-it';
import { mentionAt } from './mentions.js';

/**
 * A message's markdown as a small tree of the few things chat needs, built
 * from markdown-it's tokens and rendered by Preact as elements and text
 * nodes. No HTML string is ever made or parsed, so there is nothing for a
 * sanitiser to clean: `<script>` typed in a message is the text
 * "<script>", and an element exists only if this type names it.
 */
export type MdNode =
  | { kind: 'text'; text: string }
  | { kind: 'code'; text: string }
  | { kind: 'codeblock'; text: string }
  | { kind: 'strong' | 'em' | 'del' | 'paragraph' | 'quote'; children: MdNode[] }
  | { kind: 'link'; href: string; children: MdNode[] }
  | { kind: 'mention'; name: string };

/**
 * markdown-it from its "zero" preset (nothing on) with only what chat uses
 * turned on: paragraphs, quotes, fenced code, inline code, bold, italic,
 * strikethrough, links and bare http(s) addresses, escapes, line breaks.
 * Raw HTML, images, headings, lists, tables and reference links stay off,
 * so they stay text as typed.
 */
const md = new MarkdownIt('zero', { html: false, linkify: true, breaks: true });
md.enable([
  'blockquote',
  'fence',
  'linkify',
  'newline',
  'escape',
  'backticks',
  'strikethrough',
  'emphasis',
  'link',
  'autolink',
]);
// Bare addresses only with their scheme, as before: "example.com" stays text.
md.linkify.set({ fuzzyLink: false, fuzzyEmail: false, fuzzyIP: false });
// Only http and https become links, whatever the syntax (javascript:, data:, vbscript:, file: stay text).
md.validateLink = (url: string) => safeHref(url) !== null;
// `@name` as a token of its own, so that it is never part of a link or emphasis.
md.inline.ruler.before('linkify', 'mention', (state, silent) => {
  const name = mentionAt(state.src, state.pos, (state.env as MentionEnv).names);
  if (name === null) return false;
  if (!silent) state.push('mention', '', 0).content = name;
  state.pos += name.length + 1;
  return true;
});

type MentionEnv = {
  /** The room's member names that hold a space ("Imperfect Seat"), longest first. */
  names: readonly string[];
};

/** The tree of a message's text; `names` are the room's members, for mentions with spaces. */
export function parseMarkdown(text: string, names: readonly string[] = []): MdNode[] {
  const env: MentionEnv = { names: spaced(names) };
  return blocks(md.parse(text, env));
}

/** The names with a space in them, longest first: "@Imperfect Seat" before "@Imperfect". */
function spaced(names: readonly string[]): string[] {
  return names.filter((n) => n.includes(' ')).sort((a, b) => b.length - a.length);
}

/** The names mentioned in a message, as written after the `@`, outside code. */
export function mentionedNames(nodes: readonly MdNode[]): string[] {
  return nodes.flatMap((node) => {
    if (node.kind === 'mention') return [node.name];
    return 'children' in node ? mentionedNames(node.children) : [];
  });
}

type Token = ReturnType<typeof md.parse>[number];

function blocks(tokens: Token[]): MdNode[] {
  const root: MdNode[] = [];
  const stack: MdNode[][] = [root];
  const top = () => stack[stack.length - 1] ?? root;
  for (const token of tokens) {
    switch (token.type) {
      case 'paragraph_open':
      case 'blockquote_open': {
        const node: MdNode = {
          kind: token.type === 'paragraph_open' ? 'paragraph' : 'quote',
          children: [],
        };
        top().push(node);
        stack.push(node.children);
        break;
      }
      case 'paragraph_close':
      case 'blockquote_close':
        if (stack.length > 1) stack.pop();
        break;
      case 'inline':
        top().push(...inline(token.children ?? []));
        break;
      case 'fence':
      case 'code_block':
        top().push({ kind: 'codeblock', text: token.content.replace(/\n$/, '') });
        break;
      default:
        // A block this client does not draw: its text, as text.
        if (token.content) top().push({ kind: 'text', text: token.content });
    }
  }
  return root;
}

const OPENERS: Record<string, 'strong' | 'em' | 'del'> = {
  strong_open: 'strong',
  em_open: 'em',
  s_open: 'del',
};

function inline(tokens: Token[]): MdNode[] {
  const root: MdNode[] = [];
  const stack: MdNode[][] = [root];
  const top = () => stack[stack.length - 1] ?? root;
  for (const token of tokens) {
    const opener = OPENERS[token.type];
    if (opener) {
      const node: MdNode = { kind: opener, children: [] };
      top().push(node);
      stack.push(node.children);
      continue;
    }
    switch (token.type) {
      case 'link_open': {
        const href = safeHref(String(token.attrGet('href') ?? ''));
        if (href) {
          const node: MdNode = { kind: 'link', href, children: [] };
          top().push(node);
          stack.push(node.children);
        } else {
          // Not reached while validateLink holds; were it, the link's text would stay plain text.
          stack.push(top());
        }
        break;
      }
      case 'strong_close':
      case 'em_close':
      case 's_close':
      case 'link_close':
        if (stack.length > 1) stack.pop();
        break;
      case 'code_inline':
        top().push({ kind: 'code', text: token.content });
        break;
      case 'mention':
        top().push({ kind: 'mention', name: token.content });
        break;
      case 'softbreak':
      case 'hardbreak':
        pushText(top(), '\n');
        break;
      default:
        if (token.content) pushText(top(), token.content);
    }
  }
  return root;
}

function pushText(into: MdNode[], text: string): void {
  const last = into[into.length - 1];
  if (last?.kind === 'text') last.text += text;
  else into.push({ kind: 'text', text });
}

/** The address if it is an http or https one the URL parser accepts, else null. */
export function safeHref(candidate: string): string | null {
  try {
    const url = new URL(candidate);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
  } catch {
    return null;
  }
}

/** The message's text without markup, for a notification or a reply's quote. */
export function plainText(nodes: readonly MdNode[]): string {
  return nodes
    .map((node) => {
      switch (node.kind) {
        case 'text':
        case 'code':
        case 'codeblock':
          return node.text;
        case 'mention':
          return `@${node.name}`;
        case 'paragraph':
        case 'quote':
          return `${plainText(node.children)}\n`;
        default:
          return plainText(node.children);
      }
    })
    .join('')
    .trim();
}
