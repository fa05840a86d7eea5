/**
 * Text as every store keeps it, so that a live copy and the history agree
 * on both engines: a lone surrogate (valid in JSON, not in UTF-8) and NUL
 * (which PostgreSQL's text cannot hold) become U+FFFD before storing.
 */
export function storableText(text: string): string {
  const formed = text.toWellFormed();
  return formed.includes('\0') ? formed.replaceAll('\0', '\uFFFD') : formed;
}
