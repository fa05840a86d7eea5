/** A piece of a message: plain text, or a web address to show as a link. */
export type Segment = { kind: 'text'; text: string } | { kind: 'link'; text: string; href: string };

/** http(s) addresses, up to the next space or a character that cannot end one. */
const URL_PATTERN = /\bhttps?:\/\/[^\s<>"'`]+/gi;
/** Punctuation that ends a sentence rather than the address it follows. */
const TRAILING = /[.,;:!?'")\]}]+$/;

/**
 * Splits text into text and links, for rendering as text nodes and anchors.
 * Only http and https become links (never javascript:, data: or the like),
 * and only what the URL parser accepts; everything else stays text.
 */
export function linkify(text: string): Segment[] {
  const segments: Segment[] = [];
  let last = 0;
  for (const match of text.matchAll(URL_PATTERN)) {
    const start = match.index;
    const candidate = trimTrailing(match[0]);
    const href = safeHref(candidate);
    if (!href) continue;
    if (start > last) segments.push({ kind: 'text', text: text.slice(last, start) });
    segments.push({ kind: 'link', text: candidate, href });
    last = start + candidate.length;
  }
  if (last < text.length) segments.push({ kind: 'text', text: text.slice(last) });
  return segments;
}

/** Drops trailing punctuation, but keeps a closing bracket that closes one inside the address. */
function trimTrailing(url: string): string {
  let result = url.replace(TRAILING, '');
  const tail = url.slice(result.length);
  for (const char of tail) {
    const open = char === ')' ? '(' : char === ']' ? '[' : null;
    if (!open || count(result, open) <= count(result, char)) break;
    result += char;
  }
  return result;
}

function count(text: string, char: string): number {
  return text.split(char).length - 1;
}

function safeHref(candidate: string): string | null {
  try {
    const url = new URL(candidate);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
  } catch {
    return null;
  }
}
