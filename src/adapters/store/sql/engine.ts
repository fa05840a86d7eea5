import type { MessageRow } from './rows.js';

/**
 * What a database engine gives the one SQL store (sql-store.ts): statements
 * run by name, a connection for the group commit's transactions, and the
 * sorting of its driver's errors. Everything else, every rule and every
 * query's text, is written once in sql/.
 */

/** A statement written once for both engines, `$1`-style parameters; `name` keys its prepared form. */
export interface Query {
  name: string;
  text: string;
}

export function sql(name: string, text: string): Query {
  return { name, text };
}

/** Runs prepared statements: on the reader outside any transaction, or on a group's connection inside one. */
export interface Tx {
  get<T>(query: Query, params: readonly unknown[]): Promise<T | undefined>;
  all<T>(query: Query, params: readonly unknown[]): Promise<T[]>;
  /** Resolves with the number of rows changed. */
  run(query: Query, params: readonly unknown[]): Promise<number>;
}

/** The transaction control the group commit needs. */
export type Control =
  | 'begin'
  | 'commit'
  | 'rollback'
  | 'savepoint write'
  | 'release savepoint write'
  | 'rollback to savepoint write';

export interface Connection extends Tx {
  control(statement: Control): Promise<void>;
  /**
   * Where the driver pipelines (PostgreSQL): runs the works in one
   * transaction whose BEGIN, statements and COMMIT leave in one write, so
   * that a group costs one round trip whatever its size. Each work must send
   * its one statement on the Tx it is given before it first awaits anything
   * (a statement sent later fails). Resolves with each work's outcome once
   * committed, or with undefined when a statement failed (and so the whole
   * transaction rolled back). Rejects when BEGIN or COMMIT failed: then, as
   * with any failed commit, what was stored is not known.
   */
  together?(
    works: ((tx: Tx) => Promise<unknown>)[],
  ): Promise<PromiseSettledResult<unknown>[] | undefined>;
  release(): void;
}

/** How a driver error sorts: a unique-key clash, the database being out of reach, or a bug. */
export type ErrorKind = 'unique' | 'unavailable' | 'other';

export interface Engine {
  /** Reads outside transactions. */
  readonly reader: Tx;
  /** A connection of its own for one group of writes. */
  connect(): Promise<Connection>;
  classify(err: unknown): ErrorKind;
  /**
   * True when every write is one statement (PostgreSQL): a group of one then
   * runs on its own, without BEGIN and COMMIT, two round trips fewer.
   */
  readonly oneStatementWrites: boolean;
  /** Group-commit lanes, each with a connection of its own while a group runs (see group-commit.ts). */
  readonly writers: number;
  /**
   * Stores a message under the room's next seq, unless the sender's client id
   * was stored before: then answers with that first copy. Undefined when
   * there is no such room. The sender's read marker moves to the new seq:
   * one's own message is never unread (it matches no member for a bot's).
   */
  insertMessage(tx: Tx, message: MessageValues): Promise<Inserted | undefined>;
  /**
   * Adds the membership and, when it is new and a notice is given, stores
   * the notice (unless the room had more than `quietAbove` members).
   */
  join(tx: Tx, change: MembershipValues): Promise<MembershipOutcome>;
  /** Ends the membership and, when it ended and a notice is given, stores the notice as `join` does. */
  leave(tx: Tx, change: MembershipValues): Promise<MembershipOutcome>;
  /**
   * Full-text search, the one statement whose SQL differs (FTS5, tsvector).
   * Parameters: $1 the match (from `match`), $2 the caller's id ('' for
   * none), $3 a room id ('' for all), $4, $5 and $6 the position to read
   * below (sent, seq, id), $7 the limit; newest first, a room's ties by seq. Rows: MessageRow with reply columns and `room_name`.
   */
  readonly search: Query;
  /**
   * Where the search index is filled in batches rather than with each
   * message (SQLite's FTS5, see migrations.ts); undefined where the index
   * follows the rows (PostgreSQL's GIN index).
   */
  readonly searchBatches: SearchBatches | undefined;
  /** The engine's match expression for words (letters and digits only), each matched as a word's start. */
  match(words: string[]): string;
  close(): Promise<void>;
}

export interface SearchBatches {
  /** Indexes every message stored since the last batch. */
  catchUp(tx: Tx): Promise<void>;
  /** Takes a room's indexed messages out of the index, before the room's messages are deleted. */
  unindexRoom(tx: Tx, roomId: string): Promise<void>;
}

export interface MembershipValues {
  roomId: string;
  userId: string;
  at: string;
  /** On a join: added to the room's last seq to start the read marker (1: the own notice counts as read). */
  readAhead: number;
  notice: MessageValues | null;
  /** On a join: the new member's role (`member` unless the room's creator joins as `owner`). */
  role?: string;
  /** The notice is stored only while the room has at most this many members (before the change); null: always. */
  quietAbove: number | null;
  /**
   * On a join: the user joins by themself, so a private room takes them only
   * if they are a member already (a join that raced a removal must not undo
   * it); otherwise the outcome says there is no such room.
   */
  selfJoin?: boolean;
}

export interface MembershipOutcome {
  /** False when there is no such room (a join only: a leave never looks). */
  room: boolean;
  changed: boolean;
  /** The notice's seq, when one was stored. */
  seq: number | null;
}

export type Inserted = { seq: number } | { first: MessageRow };

/** A message's columns but its seq, as both engines' insertMessage take them. */
export interface MessageValues {
  id: string;
  roomId: string;
  memberId: string;
  memberName: string;
  type: string;
  body: string;
  clientId: string | null;
  sent: string;
  replyTo: string | null;
  targetId: string | null;
  removed: number;
}
