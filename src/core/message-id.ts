/**
 * A new message's id: a UUIDv7 (RFC 9562), whose first 48 bits are the time
 * in milliseconds, so that a later message's id sorts after an earlier one's
 * (in any order within one millisecond). The store's unique index on the id
 * then grows at its right edge, one page written per commit, where a random
 * UUIDv4 lands each message on a page of its own: on SQLite that was about a
 * quarter of the pages a case wrote to the WAL, on PostgreSQL a full-page
 * image after every checkpoint. Ids stay opaque to clients (docs/protocol.md).
 */
export function messageId(now = Date.now()): string {
  const time = now.toString(16).padStart(12, '0');
  // The random v4's version nibble (its 15th character) is replaced by 7; the rest, variant included, is kept.
  const random = crypto.randomUUID();
  return `${time.slice(0, 8)}-${time.slice(8, 12)}-7${random.slice(15)}`;
}
