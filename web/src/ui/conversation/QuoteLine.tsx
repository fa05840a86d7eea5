import type { ReplyQuote } from '../../protocol.js';

/**
 * The message a reply answers, above the reply: its author and the start of
 * its text (or "deleted"); a click brings the original into view.
 */
export function QuoteLine({
  quote,
  active,
  onOpen,
}: {
  quote: ReplyQuote;
  active: boolean;
  onOpen?: (() => void) | undefined;
}) {
  const text = quote.deleted ? 'Message deleted' : quote.excerpt;
  return (
    <button
      type="button"
      class={`quote${quote.deleted ? ' quote--deleted' : ''}`}
      tabIndex={active ? 0 : -1}
      aria-label={`Reply to ${quote.memberName}: ${text}. Show the message`}
      onClick={onOpen}
      disabled={!onOpen}
    >
      <span class="quote-author">{quote.memberName}</span>
      <span class="quote-text">{text}</span>
    </button>
  );
}
