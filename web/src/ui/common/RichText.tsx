import type { ComponentChildren } from 'preact';
import { useMemo } from 'preact/hooks';
import { type MdNode, parseMarkdown } from '../../text/markdown.js';
import { isMe } from '../../text/mentions.js';

interface Options {
  tabbable: boolean;
  me: string | undefined;
}

/**
 * A message's text with its markdown drawn: each piece is an element or a
 * text node built by Preact from `parseMarkdown`'s tree, never markup parsed
 * from the message, so `<img onerror=…>` shows as the characters it is.
 * Links (http and https only) open in a new tab without telling the target
 * where they came from. In the history, links are Tab stops only in the
 * message the keyboard is on (`tabbable`), not one per link. `@name` is
 * drawn as a mention, marked when it names `me`; `names` are the room's
 * members, so that a name with a space is one mention.
 */
export function RichText({
  text,
  tabbable = true,
  me,
  names,
}: {
  text: string;
  tabbable?: boolean;
  me?: string | undefined;
  names?: readonly string[] | undefined;
}) {
  const nodes = useMemo(() => parseMarkdown(text, names), [text, names]);
  const options: Options = { tabbable, me };
  // One paragraph, as most messages are, is drawn without a <p> of its own.
  const only = nodes.length === 1 && nodes[0]?.kind === 'paragraph' ? nodes[0].children : nodes;
  return <>{render(only, options)}</>;
}

function render(nodes: readonly MdNode[], options: Options): ComponentChildren[] {
  return nodes.map((node, i) => renderNode(node, i, options));
}

function renderNode(node: MdNode, key: number, options: Options): ComponentChildren {
  switch (node.kind) {
    case 'text':
      return node.text;
    case 'code':
      return (
        <code key={key} class="md-code">
          {node.text}
        </code>
      );
    case 'codeblock':
      return (
        <pre key={key} class="md-pre">
          <code>{node.text}</code>
        </pre>
      );
    case 'strong':
      return <strong key={key}>{render(node.children, options)}</strong>;
    case 'em':
      return <em key={key}>{render(node.children, options)}</em>;
    case 'del':
      return <del key={key}>{render(node.children, options)}</del>;
    case 'paragraph':
      return (
        <p key={key} class="md-p">
          {render(node.children, options)}
        </p>
      );
    case 'quote':
      return (
        <blockquote key={key} class="md-quote">
          {render(node.children, options)}
        </blockquote>
      );
    case 'link':
      return (
        <a
          key={key}
          href={node.href}
          target="_blank"
          rel="noopener noreferrer nofollow"
          tabIndex={options.tabbable ? undefined : -1}
        >
          {render(node.children, options)}
        </a>
      );
    case 'mention': {
      const mine = options.me !== undefined && isMe(node.name, options.me);
      return (
        <span key={key} class={mine ? 'mention mention--me' : 'mention'} data-mention={node.name}>
          @{node.name}
        </span>
      );
    }
  }
}
