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

export interface RoomView {
  roomId: string;
  roomName: string;
  visibility: Visibility;
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
}

export interface RoomDetail extends RoomView {
  members: MemberView[];
}
