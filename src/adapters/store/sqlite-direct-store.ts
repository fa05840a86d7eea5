import type { Database } from 'better-sqlite3';
import { ChatError } from '../../core/errors.js';
import type {
  Account,
  AppendResult,
  HistoryQuery,
  MembershipChange,
  NewMessage,
  Room,
  Store,
  User,
} from '../../core/ports/store.js';
import type { ChatMessage, RoomSummary } from '../../protocol/message.js';
import { type ErrorKind, ROOM_LIST_MAX } from './kysely-store.js';
import {
  type MessageRow,
  type RoomRow,
  type RoomSummaryRow,
  toMessage,
  toRoom,
  toRoomSummary,
} from './rows.js';

interface Queued {
  work: () => unknown;
  resolve: (value: never) => void;
  reject: (err: unknown) => void;
}

type Outcome = { ok: true; value: unknown } | { ok: false; err: unknown };

/** Statements prepared once: SQLite parses and plans each query a single time. */
function prepareStatements(db: Database) {
  return {
    insertUser: db.prepare(
      'insert into users (id, name, username_key, password_hash, guest, created_at) values (?, ?, ?, ?, ?, ?)',
    ),
    findAccount: db.prepare('select id, name, password_hash from users where username_key = ?'),
    getUser: db.prepare('select id, name, guest from users where id = ?'),
    insertRoom: db.prepare(
      'insert into rooms (id, name, visibility, created_by, created_at, last_activity) values (?, ?, ?, ?, ?, ?)',
    ),
    getRoom: db.prepare(
      'select id, name, visibility, created_by, created_at, last_seq from rooms where id = ?',
    ),
    roomSeq: db.prepare('select last_seq from rooms where id = ?').pluck(),
    // Times have millisecond resolution: on a tie, the room with more messages counts as newer.
    listRooms: db.prepare(
      `select rooms.id, rooms.name, rooms.visibility, rooms.last_seq, rooms.last_activity, members.last_read_seq
       from rooms left join members on members.room_id = rooms.id and members.user_id = ?
       where rooms.visibility = 'public' or members.user_id is not null
       order by rooms.last_activity desc, rooms.last_seq desc limit ?`,
    ),
    isMember: db.prepare('select 1 from members where room_id = ? and user_id = ?').pluck(),
    memberCount: db.prepare('select count(*) from members where room_id = ?').pluck(),
    members: db.prepare(
      `select users.id, users.name, users.guest from members inner join users on users.id = members.user_id
       where members.room_id = ? order by members.joined_at, users.id`,
    ),
    insertMember: db.prepare(
      `insert into members (room_id, user_id, joined_at, last_read_seq) values (?, ?, ?, ?)
       on conflict (room_id, user_id) do nothing`,
    ),
    deleteMember: db.prepare('delete from members where room_id = ? and user_id = ?'),
    markRead: db.prepare(
      'update members set last_read_seq = ? where room_id = ? and user_id = ? and last_read_seq < ?',
    ),
    byClientId: db.prepare(
      'select * from messages where room_id = ? and member_id = ? and client_id = ?',
    ),
    bumpSeq: db
      .prepare(
        'update rooms set last_seq = last_seq + 1, last_activity = ? where id = ? returning last_seq',
      )
      .pluck(),
    insertMessage: db.prepare(
      `insert into messages (id, room_id, seq, member_id, member_name, type, body, client_id, sent_at)
       values (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    historyUp: db.prepare(
      'select * from messages where room_id = ? and seq > ? and seq < ? order by seq asc limit ?',
    ),
    historyDown: db.prepare(
      'select * from messages where room_id = ? and seq > ? and seq < ? order by seq desc limit ?',
    ),
    ping: db.prepare('select 1').pluck(),
  };
}

/**
 * The embedded Store: better-sqlite3 with statements prepared once, and a
 * group commit. Every write is queued and the queue is committed as one
 * transaction at the end of the event-loop turn (setImmediate), each write in
 * its own savepoint so that one failure leaves the others alone. A write's
 * promise settles only after that commit, so an ack that follows it is for a
 * message on disk (WAL, handed to the OS: a kill -9 loses nothing). Reads run
 * at once, in the caller's turn.
 */
export class SqliteStore implements Store {
  private readonly q: ReturnType<typeof prepareStatements>;
  private queue: Queued[] = [];
  private closed = false;
  /**
   * Members per room, counted once per room and then kept in step by join and
   * leave (this process is the file's only writer): the big-room check of
   * every join and leave costs a map lookup, not a scan.
   */
  private readonly memberCounts = new Map<string, number>();
  /** Runs one write; inside the group's transaction better-sqlite3 makes it a savepoint. */
  private readonly savepoint: (work: () => unknown) => unknown;
  private readonly group: (batch: Queued[], outcomes: Outcome[]) => void;

  constructor(
    private readonly db: Database,
    private readonly classify: (err: unknown) => ErrorKind,
  ) {
    this.q = prepareStatements(db);
    this.savepoint = db.transaction((work: () => unknown) => work());
    this.group = db.transaction((batch: Queued[], outcomes: Outcome[]) => {
      for (const item of batch) {
        try {
          outcomes.push({ ok: true, value: this.savepoint(item.work) });
        } catch (err) {
          outcomes.push({ ok: false, err });
        }
      }
    });
  }

  createUser(user: User, passwordHash: string | null): Promise<void> {
    return this.write(() => {
      this.q.insertUser.run(
        user.id,
        user.name,
        user.guest ? null : user.name.toLowerCase(),
        passwordHash,
        user.guest ? 1 : 0,
        new Date().toISOString(),
      );
    }, 'username_taken');
  }

  findAccount(username: string): Promise<Account | undefined> {
    return this.read(() => {
      const row = this.q.findAccount.get(username.toLowerCase()) as
        | { id: string; name: string; password_hash: string | null }
        | undefined;
      if (!row?.password_hash) return undefined;
      return { id: row.id, name: row.name, guest: false, passwordHash: row.password_hash };
    });
  }

  getUser(id: string): Promise<User | undefined> {
    return this.read(() => {
      const row = this.q.getUser.get(id) as { id: string; name: string; guest: number } | undefined;
      return row && { id: row.id, name: row.name, guest: row.guest === 1 };
    });
  }

  createRoom(room: Omit<Room, 'lastSeq'>): Promise<Room> {
    return this.write(() => {
      this.q.insertRoom.run(
        room.id,
        room.name,
        room.visibility,
        room.createdBy,
        room.createdAt,
        room.createdAt,
      );
      return { ...room, lastSeq: 0 };
    });
  }

  getRoom(id: string): Promise<Room | undefined> {
    return this.read(() => {
      const row = this.q.getRoom.get(id) as RoomRow | undefined;
      return row && toRoom(row);
    });
  }

  listRooms(userId: string | null): Promise<RoomSummary[]> {
    return this.read(() => {
      const rows = this.q.listRooms.all(userId ?? '', ROOM_LIST_MAX) as RoomSummaryRow[];
      return rows.map(toRoomSummary);
    });
  }

  isMember(roomId: string, userId: string): Promise<boolean> {
    return this.read(() => this.q.isMember.get(roomId, userId) !== undefined);
  }

  hasMoreMembersThan(roomId: string, count: number): Promise<boolean> {
    return this.read(() => this.membersOf(roomId) > count);
  }

  private membersOf(roomId: string): number {
    let count = this.memberCounts.get(roomId);
    if (count === undefined) {
      count = this.q.memberCount.get(roomId) as number;
      if (count > 0 || this.q.roomSeq.get(roomId) !== undefined)
        this.memberCounts.set(roomId, count);
    }
    return count;
  }

  /** After a join or leave committed: moves a counted room's member count. */
  private countMember(roomId: string, delta: 1 | -1): void {
    const count = this.memberCounts.get(roomId);
    if (count !== undefined) this.memberCounts.set(roomId, count + delta);
  }

  members(roomId: string): Promise<User[]> {
    return this.read(() =>
      (this.q.members.all(roomId) as Array<{ id: string; name: string; guest: number }>).map(
        (row) => ({ id: row.id, name: row.name, guest: row.guest === 1 }),
      ),
    );
  }

  join(roomId: string, user: User, notice?: NewMessage): Promise<MembershipChange> {
    return this.write(() => {
      const lastSeq = this.q.roomSeq.get(roomId) as number | undefined;
      if (lastSeq === undefined) throw new ChatError('room_not_found');
      const inserted = this.q.insertMember.run(
        roomId,
        user.id,
        new Date().toISOString(),
        Number(lastSeq),
      );
      const changed = inserted.changes > 0;
      if (!changed) return { changed };
      const change = notice ? { changed, notice: this.appendNow(notice).message } : { changed };
      // One's own "joined" notice is not unread.
      if (change.notice) this.q.markRead.run(change.notice.seq, roomId, user.id, change.notice.seq);
      this.countMember(roomId, 1);
      return change;
    });
  }

  leave(roomId: string, user: User, notice?: NewMessage): Promise<MembershipChange> {
    return this.write(() => {
      const changed = this.q.deleteMember.run(roomId, user.id).changes > 0;
      if (!changed) return { changed };
      const change = notice ? { changed, notice: this.appendNow(notice).message } : { changed };
      this.countMember(roomId, -1);
      return change;
    });
  }

  markRead(roomId: string, userId: string, seq: number): Promise<void> {
    return this.write(() => {
      const lastSeq = this.q.roomSeq.get(roomId) as number | undefined;
      if (lastSeq === undefined) return;
      this.q.markRead.run(Math.min(seq, Number(lastSeq)), roomId, userId, seq);
    });
  }

  append(message: NewMessage): Promise<AppendResult> {
    return this.write(() => this.appendNow(message));
  }

  findSent(roomId: string, memberId: string, clientId: string): Promise<ChatMessage | undefined> {
    return this.read(() => {
      const row = this.q.byClientId.get(roomId, memberId, clientId) as MessageRow | undefined;
      return row && toMessage(row);
    });
  }

  history(roomId: string, query: HistoryQuery): Promise<ChatMessage[]> {
    return this.read(() => {
      // With only `before`, or no bound, the newest page is wanted: read downwards, then flip.
      const newest = query.after === undefined;
      const statement = newest ? this.q.historyDown : this.q.historyUp;
      const rows = statement.all(
        roomId,
        query.after ?? -1,
        query.before ?? Number.MAX_SAFE_INTEGER,
        query.limit,
      ) as MessageRow[];
      if (newest) rows.reverse();
      return rows.map(toMessage);
    });
  }

  ping(): Promise<void> {
    return this.read(() => {
      this.q.ping.get();
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.flush();
    this.db.close();
  }

  /** Inside the group's transaction: the seq comes from `rooms.last_seq`, bumped with the insert. */
  private appendNow(message: NewMessage): AppendResult {
    if (message.clientId !== undefined) {
      const first = this.q.byClientId.get(message.roomId, message.memberId, message.clientId) as
        | MessageRow
        | undefined;
      if (first) return { message: toMessage(first), duplicate: true };
    }
    const seq = this.q.bumpSeq.get(message.sent, message.roomId) as number | undefined;
    if (seq === undefined) throw new ChatError('room_not_found');
    this.q.insertMessage.run(
      message.id,
      message.roomId,
      seq,
      message.memberId,
      message.memberName,
      message.type,
      message.message,
      message.clientId ?? null,
      message.sent,
    );
    const stored: ChatMessage = {
      id: message.id,
      roomId: message.roomId,
      seq: Number(seq),
      memberId: message.memberId,
      memberName: message.memberName,
      type: message.type,
      message: message.message,
      sent: message.sent,
    };
    if (message.clientId !== undefined) stored.clientId = message.clientId;
    return { message: stored, duplicate: false };
  }

  private read<T>(work: () => T): Promise<T> {
    if (this.closed) return Promise.reject(new ChatError('store_unavailable'));
    try {
      return Promise.resolve(work());
    } catch (err) {
      return Promise.reject(this.sort(err));
    }
  }

  /** Queues a write for the group commit; settles after the commit. */
  private write<T>(work: () => T, onUnique?: 'username_taken'): Promise<T> {
    if (this.closed) return Promise.reject(new ChatError('store_unavailable'));
    return new Promise<T>((resolve, reject) => {
      this.queue.push({
        work,
        resolve: resolve as (value: never) => void,
        reject: (err) => reject(this.sort(err, onUnique)),
      });
      if (this.queue.length === 1) setImmediate(this.flush);
    });
  }

  /** Commits every queued write in one transaction, each in its own savepoint. */
  private readonly flush = (): void => {
    const batch = this.queue;
    if (batch.length === 0) return;
    this.queue = [];
    const outcomes: Outcome[] = [];
    try {
      this.group(batch, outcomes);
    } catch (err) {
      // The commit itself failed: nothing of the group is stored, and member counts are re-read.
      this.memberCounts.clear();
      for (const item of batch) item.reject(err);
      return;
    }
    batch.forEach((item, i) => {
      const outcome = outcomes[i];
      if (outcome?.ok) item.resolve(outcome.value as never);
      else item.reject(outcome?.err);
    });
  };

  /** Sorts driver errors into the Store's contract: coded errors for callers, the rest as they are. */
  private sort(err: unknown, onUnique?: 'username_taken'): unknown {
    if (err instanceof ChatError) return err;
    const kind = this.classify(err);
    if (kind === 'unique' && onUnique) return new ChatError(onUnique);
    if (kind === 'unavailable') return new ChatError('store_unavailable');
    return err;
  }
}
