import type { Database, Statement } from 'better-sqlite3';
import {
  type Connection,
  type Control,
  type Engine,
  type ErrorKind,
  type Inserted,
  type MembershipOutcome,
  type MembershipValues,
  type MessageValues,
  type Query,
  type SearchBatches,
  sql,
  type Tx,
} from '../sql/engine.js';
import { MESSAGE_WITH_REPLY, q } from '../sql/queries.js';
import type { MessageRow } from '../sql/rows.js';

interface Prepared {
  statement: Statement;
  /** For each `?` in order, the index of the `$n` parameter it stands for. */
  order: number[] | undefined;
}

// SQLite has no UPDATE inside WITH: the seq is taken, then the message stored, in the caller's transaction.
const takeSeq = sql(
  'take_seq',
  'update rooms set last_seq = last_seq + 1, last_activity = $2 where id = $1 returning last_seq',
);
const insertMessage = sql(
  'insert_message',
  `insert into messages (id, room_id, seq, member_id, member_name, type, body, client_id, sent_at,
     reply_to, target_id, removed)
   values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
);

/** The messages stored after the last indexed one (`search_progress`, see migrations.ts), indexed in one batch. */
const indexNew = sql(
  'search_index_new',
  `insert into messages_fts(rowid, body)
   select rowid, body from messages
   where rowid > (select indexed_rowid from search_progress) and type in ('chat', 'bot')`,
);
const advance = sql(
  'search_advance',
  'update search_progress set indexed_rowid = (select coalesce(max(rowid), 0) from messages)',
);
/** FTS5 reads its content from `messages` and has no delete trigger: a room's indexed messages leave the index first. */
const unindexRoom = sql(
  'search_unindex_room',
  `insert into messages_fts(messages_fts, rowid, body)
   select 'delete', rowid, body from messages
   where room_id = $1 and type in ('chat', 'bot')
     and rowid <= (select indexed_rowid from search_progress)`,
);
/**
 * SQLite gives a new row the largest rowid plus one, so a deleted room's
 * rowids can be given again: the mark goes back below them, to the largest
 * rowid left, and their new messages are indexed too.
 */
const rewind = sql(
  'search_rewind',
  `update search_progress set indexed_rowid =
     min(indexed_rowid, (select coalesce(max(rowid), 0) from messages where room_id <> $1))`,
);

/** FTS5: the index gives the rowids that match; the rest is the shared shape of a hit. */
const search = sql(
  'search_messages',
  `select ${MESSAGE_WITH_REPLY}, rooms.name as room_name
   from messages_fts inner join messages m on m.rowid = messages_fts.rowid
   inner join rooms on rooms.id = m.room_id
   left join members on members.room_id = m.room_id and members.user_id = $2
   left join messages r on r.id = m.reply_to
   where messages_fts match $1 and m.deleted = 0 and ($3 = '' or m.room_id = $3)
     and (rooms.visibility = 'public' or members.user_id is not null)
     and (m.sent_at < $4 or (m.sent_at = $4 and (m.seq < $5 or (m.seq = $5 and m.id < $6))))
   order by m.sent_at desc, m.seq desc, m.id desc limit $7`,
);

/**
 * better-sqlite3 under the SQL store: each statement prepared once, the
 * first time it runs, and every call answered synchronously (the promises
 * are already settled), in this process, the file's only writer.
 */
export class SqliteEngine implements Engine, Connection {
  readonly oneStatementWrites = false;
  readonly writers = 1;
  readonly reader: Tx = this;
  readonly search = search;
  readonly searchBatches: SearchBatches = {
    async catchUp(tx) {
      await tx.run(indexNew, []);
      await tx.run(advance, []);
    },
    async unindexRoom(tx, roomId) {
      await tx.run(unindexRoom, [roomId]);
      await tx.run(rewind, [roomId]);
    },
  };
  private readonly prepared = new Map<string, Prepared>();

  constructor(
    private readonly db: Database,
    readonly classify: (err: unknown) => ErrorKind,
  ) {}

  async connect(): Promise<Connection> {
    return this;
  }

  async get<T>(query: Query, params: readonly unknown[]): Promise<T | undefined> {
    const { statement, order } = this.prepare(query);
    return statement.get(...bind(params, order)) as T | undefined;
  }

  async all<T>(query: Query, params: readonly unknown[]): Promise<T[]> {
    const { statement, order } = this.prepare(query);
    return statement.all(...bind(params, order)) as T[];
  }

  async run(query: Query, params: readonly unknown[]): Promise<number> {
    const { statement, order } = this.prepare(query);
    return statement.run(...bind(params, order)).changes;
  }

  async control(statement: Control): Promise<void> {
    // A failed statement may have ended the transaction already (SQLITE_FULL, say).
    if (statement === 'rollback' && !this.db.inTransaction) return;
    this.db.exec(statement);
  }

  release(): void {}

  async insertMessage(tx: Tx, m: MessageValues): Promise<Inserted | undefined> {
    if (m.clientId !== null) {
      const first = await tx.get<MessageRow>(q.byClientId, [m.roomId, m.memberId, m.clientId]);
      if (first) return { first };
    }
    const seq = await this.store(tx, m);
    if (seq === undefined) return undefined;
    await tx.run(q.markRead, [m.roomId, m.memberId, seq]);
    return { seq };
  }

  async join(tx: Tx, change: MembershipValues): Promise<MembershipOutcome> {
    const room = await tx.get<{ last_seq: number; visibility: string }>(q.roomSeq, [change.roomId]);
    if (!room) return { room: false, changed: false, seq: null };
    // Writes take turns here: what this transaction reads is current.
    if (
      change.selfJoin &&
      room.visibility !== 'public' &&
      !(await tx.get(q.isMember, [change.roomId, change.userId]))
    ) {
      return { room: false, changed: false, seq: null };
    }
    const marker = room.last_seq + change.readAhead;
    const changed =
      (await tx.run(q.insertMemberAs, [
        change.roomId,
        change.userId,
        change.at,
        marker,
        change.role ?? 'member',
      ])) > 0;
    // The new member is counted too: one more than before the change.
    const seq = changed ? await this.storeNotice(tx, change, 1) : undefined;
    return { room: true, changed, seq: seq ?? null };
  }

  async leave(tx: Tx, change: MembershipValues): Promise<MembershipOutcome> {
    const changed = (await tx.run(q.deleteMember, [change.roomId, change.userId])) > 0;
    const seq = changed ? await this.storeNotice(tx, change, -1) : undefined;
    return { room: true, changed, seq: seq ?? null };
  }

  /**
   * Stores the change's notice unless the room had more than `quietAbove`
   * members before it; `counted` is what the change itself did to the count.
   */
  private async storeNotice(
    tx: Tx,
    change: MembershipValues,
    counted: 1 | -1,
  ): Promise<number | undefined> {
    if (!change.notice) return undefined;
    if (change.quietAbove !== null) {
      const limit = change.quietAbove + 1 + Math.max(counted, 0);
      const row = await tx.get<{ n: number }>(q.countMembersUpTo, [change.roomId, limit]);
      if ((row?.n ?? 0) - counted > change.quietAbove) return undefined;
    }
    return this.store(tx, change.notice);
  }

  /** Takes the room's next seq and stores the message under it; undefined without the room. */
  private async store(tx: Tx, m: MessageValues): Promise<number | undefined> {
    const row = await tx.get<{ last_seq: number }>(takeSeq, [m.roomId, m.sent]);
    if (row === undefined) return undefined;
    await tx.run(insertMessage, [
      m.id,
      m.roomId,
      row.last_seq,
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
    return row.last_seq;
  }

  /** Each word quoted (so nothing in it is FTS5 syntax) and matched as a prefix: `"conf"*`. */
  match(words: string[]): string {
    return words.map((word) => `"${word}"*`).join(' ');
  }

  async close(): Promise<void> {
    this.db.close();
  }

  private prepare(query: Query): Prepared {
    let prepared = this.prepared.get(query.name);
    if (!prepared) {
      const order: number[] = [];
      const text = query.text.replace(/\$(\d+)/g, (_, n: string) => {
        order.push(Number(n) - 1);
        return '?';
      });
      const identity = order.every((n, i) => n === i);
      prepared = { statement: this.db.prepare(text), order: identity ? undefined : order };
      this.prepared.set(query.name, prepared);
    }
    return prepared;
  }
}

/** Parameters in the order of the `?`s: `$5` used twice is passed twice. */
function bind(params: readonly unknown[], order: number[] | undefined): unknown[] {
  return order ? order.map((n) => params[n]) : (params as unknown[]);
}
