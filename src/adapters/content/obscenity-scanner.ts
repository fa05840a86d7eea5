import { LinkifyIt } from 'linkify-it';
import { englishDataset, englishRecommendedTransformers, RegExpMatcher } from 'obscenity';
import type { TextRange, TextScanner } from '../../core/ports/text-scanner.js';

/**
 * The word list and matcher of the `obscenity` package (English profanity,
 * with its transformers for look-alike Unicode letters, leetspeak and
 * repeated letters), and linkify-it for links, with or without `https://`.
 * Without a scheme, linkify-it knows the common generic top-level domains and
 * every country's; the denied domains' own are added, so that `spam.xyz`
 * is caught as a link when `xyz` is not otherwise known.
 */
export class ObscenityScanner implements TextScanner {
  private readonly matcher = new RegExpMatcher({
    ...englishDataset.build(),
    ...englishRecommendedTransformers,
  });
  private readonly links = new LinkifyIt({ fuzzyLink: true, fuzzyEmail: false });

  constructor(deniedDomains: readonly string[] = []) {
    const extra = deniedDomains.map((domain) => domain.split('.').at(-1) ?? '');
    if (extra.length > 0) this.links.tlds(extra, true);
  }

  listedWords(text: string): TextRange[] {
    // The matcher's indexes are UTF-16 offsets with an inclusive end.
    return this.matcher
      .getAllMatches(text)
      .map((match) => ({ start: match.startIndex, end: match.endIndex + 1 }))
      .filter((range) => !isNumber(text, range));
  }

  linkHosts(text: string): string[] {
    const hosts: string[] = [];
    for (const link of this.links.match(text) ?? []) {
      try {
        hosts.push(new URL(link.url).hostname);
      } catch {
        // Not a URL after all (linkify-it is generous): it is no link to count.
      }
    }
    return hosts;
  }
}

const DIGITS = /^\p{Nd}+$/u;
const IN_NUMBER = /[\p{Nd}.,]/u;
const LETTER = /\p{L}/u;

/**
 * Whether a match is digits that stand as a number, touching no letter:
 * leetspeak reads 455 as a listed word, which would mask prices, times and
 * counts ("$4.55", "4550 items"). Digits beside letters ("455hole") are
 * still matched.
 */
function isNumber(text: string, { start, end }: TextRange): boolean {
  if (!DIGITS.test(text.slice(start, end))) return false;
  let before = start;
  while (before > 0 && IN_NUMBER.test(text[before - 1] as string)) before--;
  let after = end;
  while (after < text.length && IN_NUMBER.test(text[after] as string)) after++;
  return !LETTER.test(text[before - 1] ?? '') && !LETTER.test(text[after] ?? '');
}
