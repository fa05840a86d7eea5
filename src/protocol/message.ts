/**
 * The message object, identical in history and on the WebSocket.
 * `edit`, `delete`, `reaction` and `topic` are events: stored and sequenced
 * like any message, each changing the message named by `targetId` (or, for
 * `topic`, the room). Clients ignore a type they do not know.
 */
export type MessageType =
  | 'chat'
  | 'joined'
  | 'left'
  | 'failed'
  | 'bot'
  | 'edit'
  | 'delete'
  | 'reaction'
  | 'topic';

/** Who reacted to a message with one emoji. */
export interface ReactionView {
  emoji: string;
  count: number;
  /** Everyone who reacted with it, earliest first. */
  users: Array<{ id: string; name: string }>;
}

/** What a reply shows of the message it answers, as that message is when the reply is read. */
export interface ReplyQuote {
  seq: number;
  memberId: string;
  memberName: string;
  /** The first 140 characters of its current text; empty once it is deleted. */
  excerpt: string;
  deleted?: true;
}

export interface ChatMessage {
  id: string;
  roomId: string;
  /** Counts from 1 in each room, with no gap and no repeat, across every node. */
  seq: number;
  memberId: string;
  memberName: string;
  type: MessageType;
  message: string;
  /** ISO 8601, UTC. */
  sent: string;
  /** The `id` the sender gave its `send` frame, so that a client can match its pending copy. */
  clientId?: string;
  /** On a reply: the id of the message it answers (in the same room). */
  replyTo?: string;
  /** On a reply: that message's author and an excerpt, as it is now. */
  reply?: ReplyQuote;
  /** On an event (`edit`, `delete`, `reaction`): the id of the message it changes. */
  targetId?: string;
  /** On a `reaction` event: true when the reaction was taken back (`message` is the emoji). */
  removed?: true;
  /**
   * The message's state, in history and search (a live copy is sent before
   * any change): when it was last edited, whether it is deleted (its text is
   * then ""), its reactions, and `changedSeq`, the seq of the latest event
   * already applied to it. A client applies an event to its target only when
   * the event's seq is above the target's `changedSeq` (or `seq`).
   */
  edited?: string;
  deleted?: true;
  reactions?: ReactionView[];
  changedSeq?: number;
}

/** A message found by search: its current state and its room's name. */
export interface SearchHit extends ChatMessage {
  roomName: string;
}

/** A page of search results, newest first; `next` is the `before` of the next page, absent on the last. */
export interface SearchPage {
  results: SearchHit[];
  next?: string;
}

export type Visibility = 'public' | 'private';

export interface UserView {
  id: string;
  name: string;
  guest?: boolean;
}

/** A group room, or the one direct conversation of two users. */
export type RoomKind = 'room' | 'direct';

/** A member's place in a room: every room's creator is its owner; the owner names admins. */
export type Role = 'owner' | 'admin' | 'member';

export interface RoomView {
  roomId: string;
  /** For a direct room: the peer's name, as the caller sees it. */
  roomName: string;
  visibility: Visibility;
  /** Said of every room in its detail; elsewhere, only of direct rooms. */
  kind?: RoomKind;
  /** A direct room's other member. */
  peer?: { id: string; name: string };
  /** The room's topic, when one is set (in the room's detail and the room list). */
  topic?: string;
}

/** Which new messages of a room notify a member who is away: all, those naming them (`@name`), none. */
export type NotifyLevel = 'all' | 'mentions' | 'none';

export interface RoomSummary extends RoomView {
  lastSeq: number;
  unread: number;
  /** Whether the caller is a member (public rooms are listed to everyone). */
  member: boolean;
  /** When the newest message was sent, or when the room was created. */
  lastActivity: string;
  /** The caller's notification level in a room the caller is a member of; absent: `all`. */
  notify?: NotifyLevel;
}

export interface MemberView {
  id: string;
  name: string;
  online: boolean;
  role: Role;
}

export interface RoomDetail extends RoomView {
  kind: RoomKind;
  members: MemberView[];
}

/** One of the caller's direct conversations, as GET /api/contacts lists them. */
export interface Contact {
  user: { id: string; name: string; online: boolean };
  roomId: string;
  /** When its newest message was sent, or when it was made. */
  lastActivity: string;
}
