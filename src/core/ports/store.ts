import type { ChatMessage, MessageType, RoomSummary, Visibility } from '../../protocol/message.js';

export interface User {
  id: string;
  /** Display name: the username for accounts, a readable two-word name for guests. */
  name: string;
  guest: boolean;
}

export interface SessionUser extends User {
  signedOutAt: number | undefined;
}

export interface Account extends User {
  passwordHash: string;
}

export interface Room {
  id: string;
  name: string;
  visibility: Visibility;
  createdBy: string | null;
  createdAt: string;
  lastSeq: number;
}

export interface NewMessage {
  id: string;
  roomId: string;
  memberId: string;
  memberName: string;
  type: MessageType;
  message: string;
  sent: string;
  clientId?: string;
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

  createRoom(room: Omit<Room, 'lastSeq'>): Promise<Room>;
  getRoom(id: string): Promise<Room | undefined>;
  /** Public rooms and the private rooms `userId` belongs to, newest activity first. */
  listRooms(userId: string | null): Promise<RoomSummary[]>;

  isMember(roomId: string, userId: string): Promise<boolean>;
  /** Whether the room has more than `count` members; costs at most `count + 1` rows, whatever the room's size. */
  hasMoreMembersThan(roomId: string, count: number): Promise<boolean>;
  /** Members with their names, in the order they joined. */
  members(roomId: string): Promise<User[]>;
  /** Adds the membership and, when `notice` is given, stores it in the same transaction. */
  join(roomId: string, user: User, notice?: NewMessage): Promise<MembershipChange>;
  leave(roomId: string, user: User, notice?: NewMessage): Promise<MembershipChange>;
  /** Moves the member's read marker forward (never back), capped at the room's last seq. */
  markRead(roomId: string, userId: string, seq: number): Promise<void>;

  /**
   * Stores a message with the room's next seq, durably, before resolving.
   * A message whose (roomId, memberId, clientId) was stored before is not stored again.
   */
  append(message: NewMessage): Promise<AppendResult>;
  history(roomId: string, query: HistoryQuery): Promise<ChatMessage[]>;
  /** The message the member stored with this `clientId`, if any: the first ack of a resend. */
  findSent(roomId: string, memberId: string, clientId: string): Promise<ChatMessage | undefined>;

  /** Resolves when the database answers; rejects otherwise. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
