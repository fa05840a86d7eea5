import type { ChatMessage, ReplyQuote } from '../protocol.js';

/** A reply's excerpt is at most this many characters, as the server cuts it. */
export const EXCERPT_CHARS = 140;

/**
 * What a reply shows of the message it answers: the server's quote, or,
 * when that message is loaded, the message as it is now (an edit or a
 * deletion heard after the reply was sent shows at once).
 */
export function quoteOf(message: ChatMessage): ReplyQuote {
  return {
    seq: message.seq,
    memberId: message.memberId,
    memberName: message.memberName,
    excerpt: [...message.message].slice(0, EXCERPT_CHARS).join(''),
    ...(message.deleted ? { deleted: true as const } : {}),
  };
}

export function currentQuote(reply: ReplyQuote, original: ChatMessage | undefined): ReplyQuote {
  return original ? quoteOf(original) : reply;
}
