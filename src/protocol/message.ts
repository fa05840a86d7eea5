/** The message object, identical in history and on the WebSocket. */
export type MessageType = 'chat' | 'joined' | 'left' | 'failed' | 'bot';

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
}

export interface RoomSummary extends RoomView {
  lastSeq: number;
  unread: number;
  /** Whether the caller is a member (public rooms are listed to everyone). */
  member: boolean;
  /** When the newest message was sent, or when the room was created. */
  lastActivity: string;
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
