import { type Kysely, PostgresAdapter, type QueryCreator, type Transaction } from 'kysely';
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
import { toMessage, toRoom, toRoomSummary } from './rows.js';
import type { Database } from './schema.js';

/** How a dialect's driver errors sort: a unique-key clash, the database being out of reach, or a bug. */
export type ErrorKind = 'unique' | 'unavailable' | 'other';

/** Rooms listed at most by GET /api/rooms. */
export const ROOM_LIST_MAX = 1000;

type Db = Kysely<Database> | Transaction<Database>;

/**
 * The Store on any SQL database Kysely speaks: the same queries run on
 * SQLite and PostgreSQL. Seqs come from `rooms.last_seq`, bumped in the
 * transaction that inserts the message, so they have no gap and no repeat.
 */
export class KyselyStore implements Store {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly classify: (err: unknown) => ErrorKind,
    private readonly onClose: () => Promise<void> = async () => {},
  ) {}

  createUser(user: User, passwordHash: string | null): Promise<void> {
    return this.run(async () => {
      await this.db
        .insertInto('users')
        .values({
          id: user.id,
          name: user.name,
          username_key: user.guest ? null : user.name.toLowerCase(),
          password_hash: passwordHash,
          guest: user.guest ? 1 : 0,
          created_at: new Date().toISOString(),
        })
        .execute();
    }, 'username_taken');
  }

  findAccount(username: string): Promise<Account | undefined> {
    return this.run(async () => {
      const row = await this.db
        .selectFrom('users')
        .select(['id', 'name', 'password_hash'])
        .where('username_key', '=', username.toLowerCase())
        .executeTakeFirst();
      if (!row?.password_hash) return undefined;
      return { id: row.id, name: row.name, guest: false, passwordHash: row.password_hash };
    });
  }

  getUser(id: string): Promise<User | undefined> {
    return this.run(async () => {
      const row = await this.db
        .selectFrom('users')
        .select(['id', 'name', 'guest'])
        .where('id', '=', id)
        .executeTakeFirst();
      return row && { id: row.id, name: row.name, guest: row.guest === 1 };
    });
  }

  createRoom(room: Omit<Room, 'lastSeq'>): Promise<Room> {
    return this.run(async () => {
      await this.db
        .insertInto('rooms')
        .values({
          id: room.id,
          name: room.name,
          visibility: room.visibility,
          created_by: room.createdBy,
          created_at: room.createdAt,
          last_activity: room.createdAt,
        })
        .execute();
      return { ...room, lastSeq: 0 };
    });
  }

  getRoom(id: string): Promise<Room | undefined> {
    return this.run(async () => {
      const row = await this.db
        .selectFrom('rooms')
        .selectAll()
        .where('id', '=', id)
        .executeTakeFirst();
      return row && toRoom(row);
    });
  }

  listRooms(userId: string | null): Promise<RoomSummary[]> {
    return this.run(async () => {
      const rows = await this.db
        .selectFrom('rooms')
        .leftJoin('members', (join) =>
          join.onRef('members.room_id', '=', 'rooms.id').on('members.user_id', '=', userId ?? ''),
        )
        .select([
          'rooms.id',
          'rooms.name',
          'rooms.visibility',
          'rooms.last_seq',
          'rooms.last_activity',
          'members.last_read_seq',
        ])
        .where((eb) =>
          eb.or([eb('rooms.visibility', '=', 'public'), eb('members.user_id', 'is not', null)]),
        )
        .orderBy('rooms.last_activity', 'desc')
        .limit(ROOM_LIST_MAX)
        .execute();
      return rows.map(toRoomSummary);
    });
  }

  isMember(roomId: string, userId: string): Promise<boolean> {
    return this.run(async () => {
      const row = await this.db
        .selectFrom('members')
        .select('user_id')
        .where('room_id', '=', roomId)
        .where('user_id', '=', userId)
        .executeTakeFirst();
      return row !== undefined;
    });
  }

  hasMoreMembersThan(roomId: string, count: number): Promise<boolean> {
    return this.run(async () => {
      const rows = await this.db
        .selectFrom('members')
        .select('user_id')
        .where('room_id', '=', roomId)
        .limit(count + 1)
        .execute();
      return rows.length > count;
    });
  }

  members(roomId: string): Promise<User[]> {
    return this.run(async () => {
      const rows = await this.db
        .selectFrom('members')
        .innerJoin('users', 'users.id', 'members.user_id')
        .select(['users.id', 'users.name', 'users.guest'])
        .where('members.room_id', '=', roomId)
        .orderBy('members.joined_at')
        .orderBy('users.id')
        .execute();
      return rows.map((row) => ({ id: row.id, name: row.name, guest: row.guest === 1 }));
    });
  }

  join(roomId: string, user: User, notice?: NewMessage): Promise<MembershipChange> {
    return this.run(() =>
      this.db.transaction().execute(async (trx) => {
        const room = await trx
          .selectFrom('rooms')
          .select('last_seq')
          .where('id', '=', roomId)
          .executeTakeFirst();
        if (!room) throw new ChatError('room_not_found');
        const inserted = await trx
          .insertInto('members')
          .values({
            room_id: roomId,
            user_id: user.id,
            joined_at: new Date().toISOString(),
            last_read_seq: Number(room.last_seq),
          })
          .onConflict((oc) => oc.columns(['room_id', 'user_id']).doNothing())
          .executeTakeFirst();
        const changed = Number(inserted.numInsertedOrUpdatedRows ?? 0) > 0;
        if (!changed || !notice) return { changed };
        const { message } = await appendIn(trx, notice);
        // One's own "joined" notice is not unread.
        await trx
          .updateTable('members')
          .set({ last_read_seq: message.seq })
          .where('room_id', '=', roomId)
          .where('user_id', '=', user.id)
          .execute();
        return { changed, notice: message };
      }),
    );
  }

  leave(roomId: string, user: User, notice?: NewMessage): Promise<MembershipChange> {
    return this.run(() =>
      this.db.transaction().execute(async (trx) => {
        const deleted = await trx
          .deleteFrom('members')
          .where('room_id', '=', roomId)
          .where('user_id', '=', user.id)
          .executeTakeFirst();
        const changed = Number(deleted.numDeletedRows) > 0;
        if (!changed || !notice) return { changed };
        return { changed, notice: (await appendIn(trx, notice)).message };
      }),
    );
  }

  markRead(roomId: string, userId: string, seq: number): Promise<void> {
    return this.run(async () => {
      const room = await this.db
        .selectFrom('rooms')
        .select('last_seq')
        .where('id', '=', roomId)
        .executeTakeFirst();
      if (!room) return;
      await this.db
        .updateTable('members')
        .set({ last_read_seq: Math.min(seq, Number(room.last_seq)) })
        .where('room_id', '=', roomId)
        .where('user_id', '=', userId)
        .where('last_read_seq', '<', seq)
        .execute();
    });
  }

  append(message: NewMessage): Promise<AppendResult> {
    return this.run(async () => {
      // Where one statement stores the message (PostgreSQL), it needs no transaction around it.
      const attempt = () =>
        inOneStatement(this.db)
          ? appendIn(this.db, message)
          : this.db.transaction().execute((trx) => appendIn(trx, message));
      try {
        return await attempt();
      } catch (err) {
        // The same client id stored concurrently by another node: answer with that copy.
        if (message.clientId === undefined || this.classify(err) !== 'unique') throw err;
        return await attempt();
      }
    });
  }

  findSent(roomId: string, memberId: string, clientId: string): Promise<ChatMessage | undefined> {
    return this.run(async () => {
      const row = await this.db
        .selectFrom('messages')
        .selectAll()
        .where('room_id', '=', roomId)
        .where('member_id', '=', memberId)
        .where('client_id', '=', clientId)
        .executeTakeFirst();
      return row && toMessage(row);
    });
  }

  history(roomId: string, query: HistoryQuery): Promise<ChatMessage[]> {
    return this.run(async () => {
      let q = this.db.selectFrom('messages').selectAll().where('room_id', '=', roomId);
      if (query.after !== undefined) q = q.where('seq', '>', query.after);
      if (query.before !== undefined) q = q.where('seq', '<', query.before);
      // With only `before`, or no bound, the newest page is wanted: read downwards, then flip.
      const newest = query.after === undefined;
      const rows = await q
        .orderBy('seq', newest ? 'desc' : 'asc')
        .limit(query.limit)
        .execute();
      if (newest) rows.reverse();
      return rows.map(toMessage);
    });
  }

  ping(): Promise<void> {
    return this.run(async () => {
      await this.db.selectFrom('rooms').select('id').limit(1).execute();
    });
  }

  close(): Promise<void> {
    return this.onClose();
  }

  /** Sorts driver errors into the Store's contract: coded errors for callers, the rest rethrown. */
  private async run<T>(work: () => Promise<T>, onUnique?: 'username_taken'): Promise<T> {
    try {
      return await work();
    } catch (err) {
      if (err instanceof ChatError) throw err;
      const kind = this.classify(err);
      if (kind === 'unique' && onUnique) throw new ChatError(onUnique);
      if (kind === 'unavailable') throw new ChatError('store_unavailable');
      throw err;
    }
  }
}

async function appendIn(trx: Db, message: NewMessage): Promise<AppendResult> {
  if (message.clientId !== undefined) {
    const first = await trx
      .selectFrom('messages')
      .selectAll()
      .where('room_id', '=', message.roomId)
      .where('member_id', '=', message.memberId)
      .where('client_id', '=', message.clientId)
      .executeTakeFirst();
    if (first) return { message: toMessage(first), duplicate: true };
  }
  const seq = await bumpAndInsert(trx, message);
  const stored: ChatMessage = {
    id: message.id,
    roomId: message.roomId,
    seq,
    memberId: message.memberId,
    memberName: message.memberName,
    type: message.type,
    message: message.message,
    sent: message.sent,
  };
  if (message.clientId !== undefined) stored.clientId = message.clientId;
  return { message: stored, duplicate: false };
}

/** PostgreSQL runs UPDATE inside WITH, so a message's seq is taken as it is stored, in one statement. */
function inOneStatement(db: Db): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}

/** Takes the room's next seq and stores the message under it; resolves with the seq. */
async function bumpAndInsert(db: Db, message: NewMessage): Promise<number> {
  const bump = (q: QueryCreator<Database>) =>
    q
      .updateTable('rooms')
      .set((eb) => ({ last_seq: eb('last_seq', '+', 1), last_activity: message.sent }))
      .where('id', '=', message.roomId)
      .returning('last_seq');
  const values = {
    id: message.id,
    room_id: message.roomId,
    member_id: message.memberId,
    member_name: message.memberName,
    type: message.type,
    body: message.message,
    client_id: message.clientId ?? null,
    sent_at: message.sent,
  };
  if (inOneStatement(db)) {
    // One statement: the bump and the insert reach the server together, so the
    // room's row lock, which orders the writers of a room across every node, is
    // held for no network round trip. (SQLite has no UPDATE inside WITH.)
    const row = await db
      .with('room', bump)
      .insertInto('messages')
      .columns([...(Object.keys(values) as Array<keyof typeof values>), 'seq'])
      .expression((eb) =>
        eb
          .selectFrom('room')
          .select([
            ...Object.entries(values).map(([column, value]) => eb.val(value).as(column)),
            'room.last_seq as seq',
          ]),
      )
      .returning('seq')
      .executeTakeFirst();
    if (!row) throw new ChatError('room_not_found');
    return Number(row.seq);
  }
  const room = await bump(db).executeTakeFirst();
  if (!room) throw new ChatError('room_not_found');
  const seq = Number(room.last_seq);
  await db
    .insertInto('messages')
    .values({ ...values, seq })
    .execute();
  return seq;
}
