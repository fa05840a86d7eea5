import type pg from 'pg';
import {
  type Connection,
  type Control,
  type Engine,
  type Inserted,
  type MembershipOutcome,
  type MembershipValues,
  type MessageValues,
  type Query,
  sql,
  type Tx,
} from '../sql/engine.js';
import { MESSAGE_COLUMNS, MESSAGE_WITH_REPLY } from '../sql/queries.js';
import type { MessageRow } from '../sql/rows.js';
import { classifyPgError } from './postgres-errors.js';

/**
 * One statement, one round trip: looks for a first copy under the sender's
 * client id, and without one takes the room's next seq, stores the message
 * under it and moves the sender's read marker to it. The bump and the insert reach the server together, so
 * the room's row lock, which orders the writers of a room across every node,
 * is held for no extra round trip.
 */
const insertMessage = sql(
  'insert_message',
  `with first as (
     select ${MESSAGE_COLUMNS} from messages
     where room_id = $2 and member_id = $3 and client_id = $7
   ), room as (
     update rooms set last_seq = last_seq + 1, last_activity = $8
     where id = $2 and not exists (select 1 from first)
     returning last_seq
   ), stored as (
     insert into messages (id, room_id, seq, member_id, member_name, type, body, client_id, sent_at,
       reply_to, target_id, removed)
     select $1, $2, room.last_seq, $3, $4, $5, $6, $7, $8, $9, $10, $11 from room
     returning seq
   ), seen as (
     update members set last_read_seq = room.last_seq from room
     where members.room_id = $2 and members.user_id = $3 and members.last_read_seq < room.last_seq
   )
   select true as duplicate, ${MESSAGE_COLUMNS} from first
   union all
   select false, null, null, seq, null, null, null, null, null, null, null, null, null, null, null, null
   from stored`,
);

/**
 * tsvector: the expression and the type filter are those of the partial GIN
 * index messages_search, so that the index serves the match.
 */
const search = sql(
  'search_messages',
  `select ${MESSAGE_WITH_REPLY}, rooms.name as room_name
   from messages m inner join rooms on rooms.id = m.room_id
   left join members on members.room_id = m.room_id and members.user_id = $2
   left join messages r on r.id = m.reply_to
   where to_tsvector('simple', m.body) @@ to_tsquery('simple', $1) and m.type in ('chat', 'bot')
     and m.deleted = 0 and ($3 = '' or m.room_id = $3)
     and (rooms.visibility = 'public' or members.user_id is not null)
     and (m.sent_at < $4 or (m.sent_at = $4 and (m.seq < $5 or (m.seq = $5 and m.id < $6))))
   order by m.sent_at desc, m.seq desc, m.id desc limit $7`,
);

/**
 * Whether a notice may be stored: `quiet_above` null (always), or the room
 * has at most that many members before the change. Counts at most
 * `quiet_above + 1` rows, whatever the room's size; the statement's snapshot
 * sees the members as they were before its own insert or delete.
 */
function loud(quietAbove: string): string {
  return `loud as (
     select ${quietAbove}::int is null or (
       select count(*) from (select 1 from members where room_id = $1 limit ${quietAbove}::int + 1) m
     ) <= ${quietAbove}::int as yes
   )`;
}

/**
 * A join in one statement: the room's row locked first (as every write of a
 * room does, so that writers never wait on each other in a cycle), the
 * membership added with its read marker, and, when it is new and a notice is
 * given (and the room is not big), the notice stored under the next seq.
 * A self-join ($13) enters a private room only as a member: `mine` locks the
 * membership row, so a removal committed meanwhile is seen (a plain read
 * would see the statement's older snapshot, and the insert would undo it).
 */
const joinMember = sql(
  'join_member',
  `with found as (
     select last_seq, visibility from rooms where id = $1 for update
   ), mine as (
     select 1 from members where room_id = $1 and user_id = $2 and $13::boolean for update
   ), room as (
     select last_seq from found
     where not $13::boolean or visibility = 'public' or exists (select 1 from mine)
   ), ${loud('$12')}, member as (
     insert into members (room_id, user_id, joined_at, last_read_seq, role)
     select $1, $2, $3, room.last_seq + $4, $11 from room
     on conflict (room_id, user_id) do nothing
     returning room_id
   ), bump as (
     update rooms set last_seq = last_seq + 1, last_activity = $10
     where id = $1 and $5::text is not null and exists (select 1 from member)
       and (select yes from loud)
     returning last_seq
   ), notice as (
     insert into messages (id, room_id, seq, member_id, member_name, type, body, client_id, sent_at)
     select $5, $1, bump.last_seq, $6, $7, $8, $9, null, $10 from bump
     returning seq
   )
   select (select count(*) from room) as room, (select count(*) from member) as changed,
     (select seq from notice) as seq`,
);

/** A leave in one statement, in the same order as a join: the room's row, the membership, the notice. */
const leaveMember = sql(
  'leave_member',
  `with room as (
     select last_seq from rooms where id = $1 for update
   ), ${loud('$9')}, gone as (
     delete from members where room_id = $1 and user_id = $2 and exists (select 1 from room)
     returning room_id
   ), bump as (
     update rooms set last_seq = last_seq + 1, last_activity = $8
     where id = $1 and $3::text is not null and exists (select 1 from gone)
       and (select yes from loud)
     returning last_seq
   ), notice as (
     insert into messages (id, room_id, seq, member_id, member_name, type, body, client_id, sent_at)
     select $3, $1, bump.last_seq, $4, $5, $6, $7, null, $8 from bump
     returning seq
   )
   select (select count(*) from room) as room, (select count(*) from gone) as changed,
     (select seq from notice) as seq`,
);

interface OutcomeRow {
  room: string | number;
  changed: string | number;
  seq: number | null;
}

function outcome(row: OutcomeRow | undefined): MembershipOutcome {
  return {
    room: Number(row?.room ?? 0) > 0,
    changed: Number(row?.changed ?? 0) > 0,
    seq: row?.seq ?? null,
  };
}

type Queryable = Pick<pg.Pool, 'query'> | Pick<pg.PoolClient, 'query'>;

/** Runs a statement by name: pg parses and plans it once per connection, then only binds it. */
async function execute(on: Queryable, query: Query, params: readonly unknown[]) {
  return on.query({ name: query.name, text: query.text, values: params.map(withoutNul) });
}

/**
 * PostgreSQL's text cannot hold U+0000: it refuses the whole statement. A
 * NUL becomes U+FFFD, as a lone surrogate does on its way to UTF-8, so that
 * an id with one names nothing (not found) and a text with one is stored.
 */
function withoutNul(param: unknown): unknown {
  return typeof param === 'string' && param.includes('\0')
    ? param.replaceAll('\0', '\uFFFD')
    : param;
}

/** Reads straight from the pool; pg drops a connection whose query failed. */
class PoolReader implements Tx {
  constructor(private readonly pool: pg.Pool) {}

  async get<T>(query: Query, params: readonly unknown[]): Promise<T | undefined> {
    return (await execute(this.pool, query, params)).rows[0] as T | undefined;
  }

  async all<T>(query: Query, params: readonly unknown[]): Promise<T[]> {
    return (await execute(this.pool, query, params)).rows as T[];
  }

  async run(query: Query, params: readonly unknown[]): Promise<number> {
    return (await execute(this.pool, query, params)).rowCount ?? 0;
  }
}

/**
 * A pool connection held for one group of writes. pg would return a
 * connection to the pool after any error, even one that left it waiting on a
 * dead socket (a query timed out): this one, once it saw the database out of
 * reach, fails its later statements at once (so that the ROLLBACK after a
 * timeout does not wait out a second timeout) and is discarded on release.
 */
class GroupConnection implements Connection {
  private broken: Error | undefined;
  // A checked-out client's socket errors are the holder's to handle, or they crash the process.
  private readonly onError = (err: Error) => {
    this.broken ??= err;
  };

  constructor(private readonly client: pg.PoolClient) {
    client.on('error', this.onError);
  }

  async get<T>(query: Query, params: readonly unknown[]): Promise<T | undefined> {
    return (await this.guard(() => execute(this.client, query, params))).rows[0] as T | undefined;
  }

  async all<T>(query: Query, params: readonly unknown[]): Promise<T[]> {
    return (await this.guard(() => execute(this.client, query, params))).rows as T[];
  }

  async run(query: Query, params: readonly unknown[]): Promise<number> {
    return (await this.guard(() => execute(this.client, query, params))).rowCount ?? 0;
  }

  async control(statement: Control): Promise<void> {
    await this.guard(() => this.client.query(statement));
  }

  /**
   * The pool's clients pipeline (open-postgres-store.ts): each query is sent
   * at once, without waiting for the answer to the one before. Corked, BEGIN,
   * the statements and COMMIT leave in one write, one system call rather
   * than one per statement. A failed statement aborts the transaction: the
   * statements after it fail too, and the COMMIT rolls back (its tag says
   * ROLLBACK).
   */
  async together(
    works: ((tx: Tx) => Promise<unknown>)[],
  ): Promise<PromiseSettledResult<unknown>[] | undefined> {
    const window = new SendWindow(this);
    const socket = this.client.connection.stream;
    socket.cork();
    let begin: Promise<unknown>;
    let sent: Promise<unknown>[];
    let commit: Promise<pg.QueryResult>;
    try {
      begin = this.guard(() => this.client.query('begin'));
      sent = works.map(async (work) => work(window));
      commit = this.guard(() => this.client.query('commit'));
    } finally {
      window.open = false;
      socket.uncork();
    }
    const [begun, committed, ...outcomes] = await Promise.allSettled([begin, commit, ...sent]);
    if (begun?.status === 'rejected') throw begun.reason;
    if (committed?.status === 'rejected') throw committed.reason;
    return committed?.value.command === 'COMMIT' ? outcomes : undefined;
  }

  release(): void {
    this.client.off('error', this.onError);
    this.client.release(this.broken);
  }

  private async guard<T>(work: () => Promise<T>): Promise<T> {
    if (this.broken) throw this.broken;
    try {
      return await work();
    } catch (err) {
      if (classifyPgError(err) === 'unavailable') this.broken = err as Error;
      throw err;
    }
  }
}

/**
 * What a pipelined write runs its statement on: open only while its group is
 * being written. A statement sent later (after an await) would run outside
 * the group's transaction, after its COMMIT, and once more if the group ran
 * again: it fails instead, and so does its write.
 */
class SendWindow implements Tx {
  open = true;

  constructor(private readonly conn: Tx) {}

  get<T>(query: Query, params: readonly unknown[]): Promise<T | undefined> {
    return this.ifOpen(query, () => this.conn.get<T>(query, params));
  }

  all<T>(query: Query, params: readonly unknown[]): Promise<T[]> {
    return this.ifOpen(query, () => this.conn.all<T>(query, params));
  }

  run(query: Query, params: readonly unknown[]): Promise<number> {
    return this.ifOpen(query, () => this.conn.run(query, params));
  }

  private ifOpen<T>(query: Query, send: () => Promise<T>): Promise<T> {
    if (this.open) return send();
    return Promise.reject(
      new Error(
        `${query.name} was sent after its pipelined group: a oneStatement write awaited first`,
      ),
    );
  }
}

/** pg under the SQL store: named statements, a pool, one connection per group commit. */
export class PostgresEngine implements Engine {
  readonly oneStatementWrites = true;
  readonly reader: Tx;
  readonly classify = classifyPgError;
  readonly search = search;
  readonly searchBatches = undefined;

  constructor(
    private readonly pool: pg.Pool,
    readonly writers: number,
  ) {
    this.reader = new PoolReader(pool);
  }

  async connect(): Promise<Connection> {
    return new GroupConnection(await this.pool.connect());
  }

  async insertMessage(tx: Tx, m: MessageValues): Promise<Inserted | undefined> {
    const row = await tx.get<MessageRow & { duplicate: boolean }>(insertMessage, [
      m.id,
      m.roomId,
      m.memberId,
      m.memberName,
      m.type,
      m.body,
      m.clientId,
      m.sent,
      m.replyTo,
      m.targetId,
      m.removed,
    ]);
    if (row === undefined) return undefined;
    if (!row.duplicate) return { seq: row.seq };
    const { duplicate: _, ...first } = row;
    return { first };
  }

  async join(tx: Tx, change: MembershipValues): Promise<MembershipOutcome> {
    const n = change.notice;
    const row = await tx.get<OutcomeRow>(joinMember, [
      change.roomId,
      change.userId,
      change.at,
      change.readAhead,
      n?.id ?? null,
      n?.memberId ?? null,
      n?.memberName ?? null,
      n?.type ?? null,
      n?.body ?? null,
      n?.sent ?? change.at,
      change.role ?? 'member',
      change.quietAbove,
      change.selfJoin ?? false,
    ]);
    return outcome(row);
  }

  async leave(tx: Tx, change: MembershipValues): Promise<MembershipOutcome> {
    const n = change.notice;
    const row = await tx.get<OutcomeRow>(leaveMember, [
      change.roomId,
      change.userId,
      n?.id ?? null,
      n?.memberId ?? null,
      n?.memberName ?? null,
      n?.type ?? null,
      n?.body ?? null,
      n?.sent ?? change.at,
      change.quietAbove,
    ]);
    // A leave of a room that is not there changes nothing, as on SQLite.
    return { ...outcome(row), room: true };
  }

  /** Each word lower-cased, as 'simple' stores it, and matched as a prefix: `conf:*`. */
  match(words: string[]): string {
    return words.map((word) => `${word.toLowerCase()}:*`).join(' & ');
  }

  close(): Promise<void> {
    return this.pool.end();
  }
}
