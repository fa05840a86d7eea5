import { ChatError } from './errors.js';
import type { TextRange, TextScanner } from './ports/text-scanner.js';

export interface ContentPolicy {
  /** `mask`: listed words stored with their letters replaced by `*`; `reject`: refused; `off`. */
  wordFilter: 'mask' | 'reject' | 'off';
  /** Links allowed in one message. */
  maxLinks: number;
  /** No link may go to these hosts or their subdomains (lower-case ASCII). */
  deniedDomains: readonly string[];
}

/**
 * The content rules of a chat message: the word filter and the link rule.
 * A refused message throws ChatError('message_rejected') naming the rule, and
 * is never stored; a masked one is stored and delivered masked.
 */
export class ContentRules {
  constructor(
    private readonly scanner: TextScanner,
    private readonly policy: ContentPolicy,
  ) {}

  /** The text to store: as sent, or with its listed words masked. */
  apply(text: string): string {
    const hosts = this.scanner.linkHosts(text);
    if (hosts.length > this.policy.maxLinks) {
      throw new ChatError(
        'message_rejected',
        `A message may carry at most ${this.policy.maxLinks} link${this.policy.maxLinks === 1 ? '' : 's'} (the link rule).`,
      );
    }
    const denied = hosts.find((host) => isDenied(host, this.policy.deniedDomains));
    if (denied !== undefined) {
      throw new ChatError(
        'message_rejected',
        `Links to ${denied} are not allowed here (the denied domains rule).`,
      );
    }
    if (this.policy.wordFilter === 'off') return text;
    const words = this.scanner.listedWords(text);
    if (words.length === 0) return text;
    if (this.policy.wordFilter === 'reject') {
      throw new ChatError(
        'message_rejected',
        'The message contains a word this server does not allow (the word filter).',
      );
    }
    return mask(text, words);
  }
}

/** Whether `host` is one of `denied` or a subdomain of one. */
export function isDenied(host: string, denied: readonly string[]): boolean {
  return denied.some((domain) => host === domain || host.endsWith(`.${domain}`));
}

/** Replaces every character inside `ranges` that is not a space with `*`, one per code point. */
export function mask(text: string, ranges: readonly TextRange[]): string {
  const sorted = [...ranges].sort((a, b) => a.start - b.start);
  let result = '';
  let at = 0;
  for (const range of sorted) {
    const start = Math.max(range.start, at);
    if (range.end <= start) continue;
    result += text.slice(at, start);
    result += text.slice(start, range.end).replace(/\S/gu, '*');
    at = range.end;
  }
  return result + text.slice(at);
}
