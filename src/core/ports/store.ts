import type {
  ChatMessage,
  NotifyLevel,
  Role,
  RoomSummary,
  SearchHit,
} from '../../protocol/message.js';
import type { NewMessage, Room, User } from '../domain.js';

export interface SessionUser extends User {
  signedOutAt: number | undefined;
  /** When the user was banned (ms since the epoch); undefined: not banned. */
  bannedAt: number | undefined;
}

export interface Account extends User {
  passwordHash: string;
  banned: boolean;
}

export interface Member extends User {
  role: Role;
}

/** One direct conversation of a user, as contacts list them. */
export interface DirectRoom {
  roomId: string;
  peer: User;
  lastActivity: string;
}

export interface ContactQuery {
  limit: number;
  /** Keeps peers whose name contains this, whatever its case. */
  q?: string | undefined;
}

export interface AppendResult {
  message: ChatMessage;
  /** True when the sender's `clientId` had been stored before: `message` is that first copy. */
  duplicate: boolean;
}

/** Bounds are exclusive seqs; see the contract's history paging rules. */
export interface HistoryQuery {
  after?: number;
  before?: number;
  limit: number;
}

/** Whether a user may react to a message with an emoji, as the store sees it now. */
export interface ReactionFacts {
  /** Different emoji on the message. */
  emojis: number;
  /** Whether this emoji is one of them. */
  present: boolean;
  /** Whether the user reacted with it. */
  mine: boolean;
}

/** A search: words a message must contain (each as a word or a word's start), newest first. */
export interface SearchQuery {
  words: string[];
  /** The caller; null: public rooms only. */
  userId: string | null;
  /** One room only. */
  roomId?: string | undefined;
  /** Messages older than this position (from a previous page's last hit). */
  before?: { sent: string; seq: number; id: string } | undefined;
  limit: number;
}

/** How a join or leave is stored beyond the membership itself. */
export interface MembershipOptions {
  /** On a join: the new member's role (`member` unless given). */
  role?: Role;
  /**
   * Stores the notice only while the room has at most this many members
   * (counted before the change, at most this many rows read): in a big room
   * a notice per join would be a delivery to every member each time.
   */
  quietAbove?: number;
  /**
   * On a join: the user joins by themself rather than being added. A private
   * room then takes only its members, checked in the join's own write: a
   * removal committed first is not undone (room_not_found, as for a stranger).
   */
  selfJoin?: boolean;
}

export interface MembershipChange {
  /** False when the user already was (join) or was not (leave) a member: nothing changed. */
  changed: boolean;
  /** The "joined" or "left" notice stored with the change, when one was asked for. */
  notice?: ChatMessage;
}

/**
 * Everything Confab keeps: accounts, rooms, memberships and messages with
 * per-room sequence numbers. Every adapter passes test/contract/store.contract.ts.
 * A failure to reach the backing database rejects with ChatError('store_unavailable').
 */
export interface Store {
  /** Rejects with ChatError('username_taken') when an account's name is taken, whatever its case. */
  createUser(user: User, passwordHash: string | null): Promise<void>;
  /** Looks an account up by username, whatever its case. Guests have none. */
  findAccount(username: string): Promise<Account | undefined>;
  getUser(id: string): Promise<User | undefined>;
  /** The user and when they last signed out (ms since the epoch; undefined: never), in one read. */
  getSessionUser(id: string): Promise<SessionUser | undefined>;
  /** Records a sign-out at `at` (ms): tokens issued until then are refused from now on. */
  signOut(userId: string, at: number): Promise<void>;
  /**
   * Bans the user at `at` (ms), which also signs them out then; `null` lifts
   * the ban. False when no such user.
   */
  setBanned(userId: string, at: number | null): Promise<boolean>;
  /** A new password hash for an account, signing it out at `at` (ms). False when no such account. */
  setPassword(userId: string, passwordHash: string, at: number): Promise<boolean>;

  createRoom(room: Omit<Room, 'lastSeq' | 'kind' | 'pair'>): Promise<Room>;
  getRoom(id: string): Promise<Room | undefined>;
  /** Deletes the room with its messages and memberships, at once. False when no such room. */
  deleteRoom(id: string): Promise<boolean>;
  /** Public rooms and the private rooms `userId` belongs to, newest activity first. */
  listRooms(userId: string | null): Promise<RoomSummary[]>;

  isMember(roomId: string, userId: string): Promise<boolean>;
  /** Members with their names, in the order they joined. */
  members(roomId: string): Promise<User[]>;
  /**
   * Adds the membership and, when it is new and `notice` is given (and the
   * room not above `options.quietAbove`), stores the notice in the same
   * transaction: one statement on PostgreSQL.
   */
  join(
    roomId: string,
    user: User,
    notice?: NewMessage,
    options?: MembershipOptions,
  ): Promise<MembershipChange>;
  /** Ends the membership, storing `notice` as `join` does. */
  leave(
    roomId: string,
    user: User,
    notice?: NewMessage,
    options?: Pick<MembershipOptions, 'quietAbove'>,
  ): Promise<MembershipChange>;
  /** Moves the member's read marker forward (never back), capped at the room's last seq. */
  markRead(roomId: string, userId: string, seq: number): Promise<void>;

  /**
   * Stores a message with the room's next seq, durably, before resolving.
   * A message whose (roomId, memberId, clientId) was stored before is not stored again.
   */
  append(message: NewMessage): Promise<AppendResult>;
  history(roomId: string, query: HistoryQuery): Promise<ChatMessage[]>;
  /** A message of the room, in its current state (reactions included), or undefined. */
  getMessage(roomId: string, messageId: string): Promise<ChatMessage | undefined>;
  /**
   * Stores an event (edit, delete, reaction, topic) under the room's next seq
   * and applies it, in one transaction: the target's text, `deleted` (its
   * text and its edits' texts overwritten, its reactions dropped), the
   * reaction rows, the room's topic. Rejects with message_not_found when the
   * target cannot take the event (gone, deleted, or of the wrong type), and
   * with too_many_reactions when a reaction would bring its target above
   * `maxEmojis` different emoji. A resend of the same client id answers with the first copy.
   */
  appendEvent(event: NewMessage, maxEmojis: number): Promise<AppendResult>;
  reactionFacts(messageId: string, emoji: string, userId: string): Promise<ReactionFacts>;
  /** Chat and bot messages of rooms the user may read, matching every word; deleted ones never. */
  search(query: SearchQuery): Promise<SearchHit[]>;
  /** The message the member stored with this `clientId`, if any: the first ack of a resend. */
  findSent(roomId: string, memberId: string, clientId: string): Promise<ChatMessage | undefined>;

  /** The member's role, or undefined when `userId` is not a member. */
  role(roomId: string, userId: string): Promise<Role | undefined>;
  /** Members with their names and roles, in the order they joined. */
  roster(roomId: string): Promise<Member[]>;
  /** Sets a member's notification level in the room; false when `userId` is not a member. */
  setNotify(roomId: string, userId: string, level: NotifyLevel): Promise<boolean>;
  /** Sets a member's role; false when `userId` is not a member. */
  setRole(roomId: string, userId: string, role: Role): Promise<boolean>;

  /**
   * The one direct room of two users: made with both as members the first
   * time, found after, whoever asks and on whichever node. A unique key on
   * the pair decides between concurrent first calls, not a look-up before.
   * `room` is used only when it is made. Either user who was no longer a
   * member is one again.
   */
  openDirect(
    room: Omit<Room, 'lastSeq' | 'kind' | 'pair' | 'visibility'>,
    a: User,
    b: User,
  ): Promise<Room>;
  /** The direct room of two users, whichever order they are given in; undefined before it is made. */
  findDirect(a: string, b: string): Promise<Room | undefined>;
  /** A user's direct rooms, newest activity first, with the peer of each. */
  directRooms(userId: string, query: ContactQuery): Promise<DirectRoom[]>;
  /** Up to `limit` accounts (not guests) whose username starts with `prefix`, whatever its case. */
  searchAccounts(prefix: string, limit: number): Promise<User[]>;

  /** Idempotent. */
  block(blockerId: string, blockedId: string): Promise<void>;
  /** Idempotent. */
  unblock(blockerId: string, blockedId: string): Promise<void>;
  /** The users `blockerId` has blocked, most recent first. */
  blocked(blockerId: string): Promise<User[]>;
  /** Whether either user has blocked the other. */
  eitherBlocked(a: string, b: string): Promise<boolean>;

  /** Resolves when the database answers; rejects otherwise. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
