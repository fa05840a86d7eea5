/** What may follow `@` in a username (see the server's USERNAME_PATTERN). */
const NAME = /^[A-Za-z0-9_.-]+/;
/** A character that, before `@`, makes it part of a word (an e-mail address), not a mention. */
const WORD_CHAR = /[\p{L}\p{N}_]/u;

/**
 * The name mentioned by an `@` at `pos`, or null: a member's name with a
 * space in it as listed in `names` (guests are "Imperfect Seat"; longest
 * first), else a
 * username's characters, less a final dot or dash ("thanks @bob.").
 */
export function mentionAt(src: string, pos: number, names: readonly string[] = []): string | null {
  if (src[pos] !== '@') return null;
  if (pos > 0 && WORD_CHAR.test(src[pos - 1] ?? '')) return null;
  const rest = src.slice(pos + 1);
  for (const name of names) {
    const typed = rest.slice(0, name.length);
    if (typed.toLowerCase() === name.toLowerCase() && !WORD_CHAR.test(rest[name.length] ?? '')) {
      return typed;
    }
  }
  const name = NAME.exec(rest)?.[0].replace(/[.-]+$/, '');
  return name ? name : null;
}

/** Whether `name` (as written after an `@`) is `me`: names compare without case. */
export function isMe(name: string, me: string): boolean {
  return name.toLowerCase() === me.toLowerCase();
}

/**
 * The members to suggest while an `@name` is being typed before `caret`:
 * the `@` and what follows it, and the members whose name starts so
 * (at most `limit`, oneself left out). Null when the caret is not in one.
 */
export function mentionQuery(text: string, caret: number): { start: number; typed: string } | null {
  const before = text.slice(0, caret);
  const match = /(^|[^\p{L}\p{N}_])@([^\s@]{0,32}(?: [^\s@]{0,32})?)$/u.exec(before);
  if (!match) return null;
  const typed = match[2] ?? '';
  return { start: before.length - typed.length - 1, typed };
}

export function mentionMatches<T extends { id: string; name: string }>(
  members: readonly T[],
  typed: string,
  meId: string,
  limit = 8,
): T[] {
  const start = typed.toLowerCase();
  return members
    .filter((m) => m.id !== meId && m.name.toLowerCase().startsWith(start))
    .sort((a, b) => a.name.localeCompare(b.name))
    .slice(0, limit);
}
