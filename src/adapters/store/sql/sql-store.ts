/**
 * The Store, once, for both engines: every rule of accounts, rooms,
 * memberships and messages is here, over an Engine (engine.ts) that runs
 * named statements on SQLite (better-sqlite3) or PostgreSQL (pg).
 *
 * To add a table or a query:
 * 1. the table: a migration in migrations.ts (Kysely's schema builder, one
 *    text for both engines) and its row type in schema.ts;
 * 2. the statement: one entry in queries.ts, in the SQL both engines share,
 *    with `$1`-style parameters; it is prepared once per engine by its name;
 * 3. the rule: a method here that runs it with `this.read` (outside any
 *    transaction) or `this.write` (queued for the group commit, so settled
 *    only once committed; everything one write does is atomic). A write on
 *    PostgreSQL is one statement (`oneStatementWrites`: a lone one runs
 *    without BEGIN/COMMIT), so a write of several statements needs a new
 *    engine method or that flag turned off;
 * 4. a case in test/contract/store.contract.ts, which runs on both engines.
 * Only SQL that cannot be written once (PostgreSQL's UPDATE inside WITH, say)
 * goes into the Engine, as a method each engine implements.
 */

import type { NewMessage, Room, User } from '../../../core/domain.js';
import { ChatError } from '../../../core/errors.js';
import type {
  Account,
  AppendResult,
  ContactQuery,
  DirectRoom,
  HistoryQuery,
  Member,
  MembershipChange,
  MembershipOptions,
  ReactionFacts,
  SearchQuery,
  SessionUser,
  Store,
} from '../../../core/ports/store.js';
import type {
  ChatMessage,
  NotifyLevel,
  Role,
  RoomSummary,
  SearchHit,
} from '../../../protocol/message.js';
import type { Engine, MembershipOutcome, MessageValues, Tx } from './engine.js';
import { GroupCommit, type Work } from './group-commit.js';
import { q, ROOM_LIST_MAX } from './queries.js';
import {
  attachReactions,
  type MessageRow,
  type ReactionRow,
  type RoomRow,
  type RoomSummaryRow,
  toMessage,
  toRoom,
  toRoomSummary,
} from './rows.js';

interface UserRow {
  id: string;
  name: string;
  guest: number;
}

interface WriteOptions {
  onUnique?: 'username_taken';
  /** Run once more after a unique-key clash (a concurrent resend of the same client id). */
  againOnUnique?: boolean;
  /**
   * The work is one SQL statement, sent before the work awaits anything;
   * if the work throws after it, the statement changed nothing. Alone in its
   * group it then needs no transaction (PostgreSQL saves BEGIN and COMMIT),
   * and in a group of such works it is pipelined with the rest
   * (Connection.together). Anything that runs two is not.
   */
  oneStatement?: boolean;
}

/** How long a stored message may wait for a batch of the search index (SearchBatches); a search never waits. */
const SEARCH_BATCH_DELAY_MS = 1000;

export class SqlStore implements Store {
  private readonly group: GroupCommit;
  private closed = false;
  /** Messages may be stored that the search index lacks (true at start: the last run may have left some). */
  private unindexed = true;
  private searchBatch: NodeJS.Timeout | undefined;
  /** The batch queued last: a search waits for it even when another search queued it. */
  private indexing: Promise<void> | undefined;

  /** `onBackgroundError` hears of work no caller waits for: a timed search batch that failed. */
  constructor(
    private readonly engine: Engine,
    private readonly onBackgroundError: (err: unknown) => void = () => {},
  ) {
    this.group = new GroupCommit(engine, engine.writers);
  }

  createUser(user: User, passwordHash: string | null): Promise<void> {
    return this.write(
      '',
      async (tx) => {
        await tx.run(q.insertUser, [
          user.id,
          user.name,
          user.guest ? null : user.name.toLowerCase(),
          passwordHash,
          user.guest ? 1 : 0,
          new Date().toISOString(),
        ]);
      },
      { onUnique: 'username_taken', oneStatement: true },
    );
  }

  findAccount(username: string): Promise<Account | undefined> {
    return this.read(async (tx) => {
      const row = await tx.get<{
        id: string;
        name: string;
        password_hash: string | null;
        banned_at: number | string | null;
      }>(q.findAccount, [username.toLowerCase()]);
      if (!row?.password_hash) return undefined;
      return {
        id: row.id,
        name: row.name,
        guest: false,
        passwordHash: row.password_hash,
        banned: row.banned_at !== null,
      };
    });
  }

  getUser(id: string): Promise<User | undefined> {
    return this.read(async (tx) => {
      const row = await tx.get<UserRow>(q.getUser, [id]);
      return row && toUser(row);
    });
  }

  getSessionUser(id: string): Promise<SessionUser | undefined> {
    return this.read(async (tx) => {
      const row = await tx.get<
        UserRow & { signed_out_at: number | string | null; banned_at: number | string | null }
      >(q.getSessionUser, [id]);
      if (!row) return undefined;
      const signedOutAt = row.signed_out_at === null ? undefined : Number(row.signed_out_at);
      const bannedAt = row.banned_at === null ? undefined : Number(row.banned_at);
      return { ...toUser(row), signedOutAt, bannedAt };
    });
  }

  signOut(userId: string, at: number): Promise<void> {
    return this.write(userId, async (tx) => {
      await tx.run(q.signOut, [userId, at]);
    });
  }

  setBanned(userId: string, at: number | null): Promise<boolean> {
    return this.write(userId, async (tx) => (await tx.run(q.setBanned, [userId, at])) > 0, {
      oneStatement: true,
    });
  }

  setPassword(userId: string, passwordHash: string, at: number): Promise<boolean> {
    return this.write(
      userId,
      async (tx) => (await tx.run(q.setPassword, [userId, passwordHash, at])) > 0,
      { oneStatement: true },
    );
  }

  async deleteRoom(id: string): Promise<boolean> {
    const deleted = await this.write(id, async (tx) => {
      await this.engine.searchBatches?.unindexRoom(tx, id);
      await tx.run(q.deleteRoomReactions, [id]);
      await tx.run(q.deleteRoomMessages, [id]);
      await tx.run(q.deleteRoomMembers, [id]);
      await tx.run(q.deleteRoomDirect, [id]);
      return (await tx.run(q.deleteRoom, [id])) > 0;
    });
    return deleted;
  }

  createRoom(room: Omit<Room, 'lastSeq' | 'kind' | 'pair'>): Promise<Room> {
    return this.write(room.id, async (tx) => {
      await tx.run(q.insertRoom, [
        room.id,
        room.name,
        room.visibility,
        room.createdBy,
        room.createdAt,
      ]);
      return { ...room, lastSeq: 0, kind: 'room' };
    });
  }

  getRoom(id: string): Promise<Room | undefined> {
    return this.read(async (tx) => {
      const row = await tx.get<RoomRow>(q.getRoom, [id]);
      return row && toRoom(row);
    });
  }

  listRooms(userId: string | null): Promise<RoomSummary[]> {
    return this.read(async (tx) => {
      const rows = await tx.all<RoomSummaryRow>(q.listRooms, [userId ?? '', ROOM_LIST_MAX]);
      return rows.map(toRoomSummary);
    });
  }

  isMember(roomId: string, userId: string): Promise<boolean> {
    return this.read(async (tx) => (await tx.get(q.isMember, [roomId, userId])) !== undefined);
  }

  members(roomId: string): Promise<User[]> {
    return this.read(async (tx) => (await tx.all<UserRow>(q.members, [roomId])).map(toUser));
  }

  join(
    roomId: string,
    user: User,
    notice?: NewMessage,
    options: MembershipOptions = {},
  ): Promise<MembershipChange> {
    const values = noticeValues(notice);
    return this.write(
      roomId,
      async (tx) => {
        const outcome = await this.engine.join(tx, {
          roomId,
          userId: user.id,
          at: new Date().toISOString(),
          // One's own "joined" notice is not unread.
          readAhead: values ? 1 : 0,
          notice: values,
          role: options.role ?? 'member',
          quietAbove: options.quietAbove ?? null,
          selfJoin: options.selfJoin === true,
        });
        if (!outcome.room) throw new ChatError('room_not_found');
        return membershipChange(outcome, values);
      },
      { oneStatement: true },
    );
  }

  leave(
    roomId: string,
    user: User,
    notice?: NewMessage,
    options: Pick<MembershipOptions, 'quietAbove'> = {},
  ): Promise<MembershipChange> {
    const values = noticeValues(notice);
    return this.write(
      roomId,
      async (tx) => {
        const outcome = await this.engine.leave(tx, {
          roomId,
          userId: user.id,
          at: new Date().toISOString(),
          readAhead: 0,
          notice: values,
          quietAbove: options.quietAbove ?? null,
        });
        return membershipChange(outcome, values);
      },
      { oneStatement: true },
    );
  }

  markRead(roomId: string, userId: string, seq: number): Promise<void> {
    return this.write(
      roomId,
      async (tx) => {
        await tx.run(q.markRead, [roomId, userId, seq]);
      },
      { oneStatement: true },
    );
  }

  append(message: NewMessage): Promise<AppendResult> {
    // The same client id stored at the same moment through another node clashes: run again, to answer with that copy.
    const again = message.clientId !== undefined;
    const stored = this.write(message.roomId, (tx) => this.appendIn(tx, message), {
      againOnUnique: again,
      // A direct message also moves the pair's contacts: two statements.
      oneStatement: !message.direct,
    });
    this.indexAfter(stored);
    return stored;
  }

  findSent(roomId: string, memberId: string, clientId: string): Promise<ChatMessage | undefined> {
    return this.read(async (tx) => {
      const row = await tx.get<MessageRow>(q.byClientId, [roomId, memberId, clientId]);
      return row && toMessage(row);
    });
  }

  history(roomId: string, query: HistoryQuery): Promise<ChatMessage[]> {
    return this.read(async (tx) => {
      const { after, before, limit } = query;
      let rows: MessageRow[];
      if (after !== undefined) {
        rows =
          before === undefined
            ? await tx.all<MessageRow>(q.historyAfter, [roomId, after, limit])
            : await tx.all<MessageRow>(q.historyBetween, [roomId, after, before, limit]);
      } else {
        // With only `before`, or no bound, the newest page is wanted: read downwards, then flip.
        rows =
          before === undefined
            ? await tx.all<MessageRow>(q.historyNewest, [roomId, limit])
            : await tx.all<MessageRow>(q.historyBefore, [roomId, before, limit]);
        rows.reverse();
      }
      const messages = rows.map(toMessage);
      // Only a message some event changed may have reactions: a page without one costs no second query.
      const changed = messages.filter((m) => m.changedSeq !== undefined && !m.deleted);
      if (changed.length > 0) {
        const first = changed[0] as ChatMessage;
        const last = changed[changed.length - 1] as ChatMessage;
        attachReactions(
          messages,
          await tx.all<ReactionRow>(q.reactionsBetween, [roomId, first.seq, last.seq]),
        );
      }
      return messages;
    });
  }

  getMessage(roomId: string, messageId: string): Promise<ChatMessage | undefined> {
    return this.read(async (tx) => {
      const row = await tx.get<MessageRow>(q.getMessage, [messageId, roomId]);
      if (!row) return undefined;
      const message = toMessage(row);
      if (message.changedSeq !== undefined && !message.deleted) {
        attachReactions([message], await tx.all<ReactionRow>(q.reactionsOf, [message.id]));
      }
      return message;
    });
  }

  reactionFacts(messageId: string, emoji: string, userId: string): Promise<ReactionFacts> {
    return this.read(async (tx) => {
      const row = await tx.get<{ emojis: number | string; present: number; mine: number }>(
        q.reactionFacts,
        [messageId, emoji, userId],
      );
      return {
        emojis: Number(row?.emojis ?? 0),
        present: Number(row?.present ?? 0) === 1,
        mine: Number(row?.mine ?? 0) === 1,
      };
    });
  }

  appendEvent(event: NewMessage, maxEmojis: number): Promise<AppendResult> {
    const stored = this.write(event.roomId, (tx) => this.appendEventIn(tx, event, maxEmojis), {
      againOnUnique: event.clientId !== undefined,
    });
    this.indexAfter(stored);
    return stored;
  }

  async search(query: SearchQuery): Promise<SearchHit[]> {
    await this.indexNow();
    return this.read(async (tx) => {
      const rows = await tx.all<MessageRow & { room_name: string }>(this.engine.search, [
        this.engine.match(query.words),
        query.userId ?? '',
        query.roomId ?? '',
        // After every stored time: the first page.
        query.before?.sent ?? '9999-12-31T23:59:59.999Z',
        query.before?.seq ?? 0,
        query.before?.id ?? '',
        query.limit,
      ]);
      const hits: SearchHit[] = rows.map((row) => ({ ...toMessage(row), roomName: row.room_name }));
      for (const hit of hits) {
        if (hit.changedSeq === undefined) continue;
        attachReactions([hit], await tx.all<ReactionRow>(q.reactionsOf, [hit.id]));
      }
      return hits;
    });
  }

  role(roomId: string, userId: string): Promise<Role | undefined> {
    return this.read(
      async (tx) => (await tx.get<{ role: Role }>(q.memberRole, [roomId, userId]))?.role,
    );
  }

  roster(roomId: string): Promise<Member[]> {
    return this.read(async (tx) =>
      (await tx.all<UserRow & { role: Role }>(q.roster, [roomId])).map((row) => ({
        ...toUser(row),
        role: row.role,
      })),
    );
  }

  setNotify(roomId: string, userId: string, level: NotifyLevel): Promise<boolean> {
    return this.write(
      roomId,
      async (tx) => (await tx.run(q.setNotify, [roomId, userId, level])) > 0,
      { oneStatement: true },
    );
  }

  setRole(roomId: string, userId: string, role: Role): Promise<boolean> {
    return this.write(roomId, async (tx) => (await tx.run(q.setRole, [roomId, userId, role])) > 0);
  }

  async openDirect(
    room: Omit<Room, 'lastSeq' | 'kind' | 'pair' | 'visibility'>,
    a: User,
    b: User,
  ): Promise<Room> {
    const pairKey = [a.id, b.id].sort().join(':');
    return this.write(pairKey, async (tx) => {
      await tx.run(q.insertDirectRoom, [
        room.id,
        room.name,
        room.createdBy,
        room.createdAt,
        pairKey,
      ]);
      const row = await tx.get<RoomRow>(q.directRoomByPair, [pairKey]);
      if (!row) throw new Error(`direct room ${pairKey} neither inserted nor found`);
      for (const [user, peer] of [
        [a, b],
        [b, a],
      ] as const) {
        await tx.run(q.insertMember, [row.id, user.id, room.createdAt, row.last_seq]);
        await tx.run(q.insertDirectEntry, [user.id, row.id, peer.id, row.created_at]);
      }
      return toRoom(row);
    });
  }

  findDirect(a: string, b: string): Promise<Room | undefined> {
    return this.read(async (tx) => {
      const row = await tx.get<RoomRow>(q.directRoomByPair, [[a, b].sort().join(':')]);
      return row && toRoom(row);
    });
  }

  directRooms(userId: string, query: ContactQuery): Promise<DirectRoom[]> {
    return this.read(async (tx) => {
      type Row = UserRow & { room_id: string; last_activity: string };
      const rows = query.q
        ? await tx.all<Row>(q.directRoomsMatching, [
            userId,
            query.limit,
            `%${likeEscape(query.q.toLowerCase())}%`,
          ])
        : await tx.all<Row>(q.directRooms, [userId, query.limit]);
      return rows.map((row) => ({
        roomId: row.room_id,
        peer: toUser(row),
        lastActivity: row.last_activity,
      }));
    });
  }

  searchAccounts(prefix: string, limit: number): Promise<User[]> {
    const low = prefix.toLowerCase();
    // The first key past every key that starts with `low`: its last character, plus one.
    const high =
      low.slice(0, -1) + String.fromCodePoint((low.codePointAt(low.length - 1) ?? 0) + 1);
    return this.read(async (tx) =>
      (await tx.all<UserRow>(q.searchAccounts, [low, high, `${likeEscape(low)}%`, limit])).map(
        toUser,
      ),
    );
  }

  block(blockerId: string, blockedId: string): Promise<void> {
    return this.write(blockerId, async (tx) => {
      await tx.run(q.insertBlock, [blockerId, blockedId, new Date().toISOString()]);
    });
  }

  unblock(blockerId: string, blockedId: string): Promise<void> {
    return this.write(blockerId, async (tx) => {
      await tx.run(q.deleteBlock, [blockerId, blockedId]);
    });
  }

  blocked(blockerId: string): Promise<User[]> {
    return this.read(async (tx) => (await tx.all<UserRow>(q.blockedBy, [blockerId])).map(toUser));
  }

  eitherBlocked(a: string, b: string): Promise<boolean> {
    return this.read(async (tx) => (await tx.get(q.eitherBlocked, [a, b])) !== undefined);
  }

  ping(): Promise<void> {
    return this.read(async (tx) => {
      await tx.get(q.ping, []);
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.searchBatch);
    await this.group.drain();
    await this.engine.close();
  }

  /**
   * Where the search index is filled in batches: once the message is stored
   * (not before: a batch queued meanwhile may run ahead of it), one is due
   * within SEARCH_BATCH_DELAY_MS. This runs before the caller hears of the
   * message, so a search it makes next finds it.
   */
  private indexAfter(stored: Promise<unknown>): void {
    if (!this.engine.searchBatches) return;
    stored.then(
      () => {
        this.unindexed = true;
        if (this.searchBatch || this.closed) return;
        this.searchBatch = setTimeout(() => {
          // A batch that fails (a full disk) is tried again by the next search or message.
          this.indexNow().catch(this.onBackgroundError);
        }, SEARCH_BATCH_DELAY_MS);
        this.searchBatch.unref();
      },
      () => {},
    );
  }

  /** Indexes every stored message that the search index lacks, or waits for the batch that does. */
  private async indexNow(): Promise<void> {
    const batches = this.engine.searchBatches;
    clearTimeout(this.searchBatch);
    this.searchBatch = undefined;
    if (!batches || this.closed) return;
    if (this.unindexed) {
      this.unindexed = false;
      const batch = this.write('', (tx) => batches.catchUp(tx));
      this.indexing = batch;
      batch.catch(() => {
        this.unindexed = true;
        if (this.indexing === batch) this.indexing = undefined;
      });
    }
    await this.indexing;
  }

  /** Inside a write: the seq comes from `rooms.last_seq`, taken as the message is stored. */
  private async appendIn(tx: Tx, message: NewMessage): Promise<AppendResult> {
    const values = toValues(message);
    const inserted = await this.engine.insertMessage(tx, values);
    if (inserted === undefined) throw new ChatError('room_not_found');
    // A resend of a message stored before: the first copy, stored once.
    if ('first' in inserted) return { message: toMessage(inserted.first), duplicate: true };
    if (message.direct) await tx.run(q.touchDirect, [message.roomId, message.sent]);
    return { message: stored(values, inserted.seq), duplicate: false };
  }

  /**
   * Inside a write: the event takes the room's next seq (a resend of its
   * client id answers with the first copy, applied once), then changes its
   * target. A target that cannot take it throws, and so undoes the event.
   */
  private async appendEventIn(tx: Tx, event: NewMessage, maxEmojis: number): Promise<AppendResult> {
    const result = await this.appendIn(tx, event);
    if (result.duplicate) return result;
    const { seq } = result.message;
    const target = event.targetId ?? '';
    const changed = async (query: typeof q.applyEdit, params: unknown[]) => {
      if ((await tx.run(query, params)) === 0) throw new ChatError('message_not_found');
    };
    switch (event.type) {
      case 'edit':
        await changed(q.applyEdit, [target, event.roomId, event.message, event.sent, seq]);
        break;
      case 'delete':
        await changed(q.applyDelete, [target, event.roomId, seq]);
        await tx.run(q.scrubEdits, [target]);
        await tx.run(q.deleteReactions, [target]);
        break;
      case 'reaction':
        await changed(q.touchChanged, [target, event.roomId, seq]);
        if (event.removed) {
          await tx.run(q.deleteReaction, [target, event.message, event.memberId]);
        } else {
          await tx.run(q.insertReaction, [
            target,
            event.message,
            event.memberId,
            event.memberName,
            seq,
          ]);
          const row = await tx.get<{ n: number | string }>(q.emojiCount, [target]);
          if (Number(row?.n ?? 0) > maxEmojis) throw new ChatError('too_many_reactions');
        }
        break;
      case 'topic':
        await tx.run(q.setTopic, [event.roomId, event.message]);
        break;
      default:
        throw new Error(`not an event: ${event.type}`);
    }
    return result;
  }

  private async read<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    if (this.closed) throw new ChatError('store_unavailable');
    try {
      return await work(this.engine.reader);
    } catch (err) {
      throw this.sort(err);
    }
  }

  /** Queues a write for the group commit; settles after the commit. */
  private async write<T>(key: string, work: Work<T>, options: WriteOptions = {}): Promise<T> {
    if (this.closed) throw new ChatError('store_unavailable');
    const once = () => this.group.write(key, work, options.oneStatement);
    try {
      try {
        return await once();
      } catch (err) {
        if (!options.againOnUnique || this.engine.classify(err) !== 'unique') throw err;
        return await once();
      }
    } catch (err) {
      throw this.sort(err, options.onUnique);
    }
  }

  /** Sorts driver errors into the Store's contract: coded errors for callers, the rest as they are. */
  private sort(err: unknown, onUnique?: 'username_taken'): unknown {
    if (err instanceof ChatError) return err;
    const kind = this.engine.classify(err);
    if (kind === 'unique' && onUnique) return new ChatError(onUnique);
    if (kind === 'unavailable') return new ChatError('store_unavailable');
    return err;
  }
}

/** Escapes LIKE's wildcards with '!', the escape character the queries name. */
function likeEscape(text: string): string {
  return text.replace(/[!%_]/g, '!$&');
}

function toUser(row: UserRow): User {
  return { id: row.id, name: row.name, guest: Number(row.guest) === 1 };
}

function toValues(message: NewMessage): MessageValues {
  return {
    id: message.id,
    roomId: message.roomId,
    memberId: message.memberId,
    memberName: message.memberName,
    type: message.type,
    body: message.message,
    clientId: message.clientId ?? null,
    sent: message.sent,
    replyTo: message.replyTo ?? null,
    targetId: message.targetId ?? null,
    removed: message.removed ? 1 : 0,
  };
}

function noticeValues(notice: NewMessage | undefined): MessageValues | null {
  return notice ? toValues(notice) : null;
}

/** The message as stored under `seq`: what the Store answers, built once for every write. */
function stored(values: MessageValues, seq: number): ChatMessage {
  const message: ChatMessage = {
    id: values.id,
    roomId: values.roomId,
    seq: Number(seq),
    memberId: values.memberId,
    memberName: values.memberName,
    type: values.type as ChatMessage['type'],
    message: values.body,
    sent: values.sent,
  };
  if (values.clientId !== null) message.clientId = values.clientId;
  if (values.replyTo !== null) message.replyTo = values.replyTo;
  if (values.targetId !== null) message.targetId = values.targetId;
  if (values.removed === 1) message.removed = true;
  return message;
}

function membershipChange(
  outcome: MembershipOutcome,
  notice: MessageValues | null,
): MembershipChange {
  if (!outcome.changed) return { changed: false };
  if (notice === null || outcome.seq === null) return { changed: true };
  return { changed: true, notice: stored(notice, outcome.seq) };
}
