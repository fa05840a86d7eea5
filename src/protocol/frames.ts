/**
 * WebSocket frames: one JSON object per text frame, tagged by `type`.
 * The schemas validate what clients send and give the types; docs/protocol.md
 * documents the same shapes with examples.
 */
import { type Static, Type } from '@sinclair/typebox';
import type { ErrorCode } from './errors.js';
import type { ChatMessage, Role, RoomView, UserView } from './message.js';

/** A client-chosen id, echoed on the reply (and, on `send`, the idempotency key). */
const FrameId = Type.String({ minLength: 1, maxLength: 128 });
/**
 * Any string: one that names no room answers `room_not_found`, whatever its
 * length (the frame size limit bounds it).
 */
const RoomId = Type.String();
const Seq = Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER });

export const JoinFrame = Type.Object({
  type: Type.Literal('join'),
  id: Type.Optional(FrameId),
  roomId: RoomId,
  since: Type.Optional(Seq),
});

export const LeaveFrame = Type.Object({
  type: Type.Literal('leave'),
  id: Type.Optional(FrameId),
  roomId: RoomId,
});

const MessageId = Type.String({ maxLength: 256 });

export const SendFrame = Type.Object({
  type: Type.Literal('send'),
  id: Type.Optional(FrameId),
  roomId: RoomId,
  message: Type.String(),
  /** The id of the message this one answers, in the same room. */
  replyTo: Type.Optional(MessageId),
});

/** Edits one's own chat message: stores an `edit` event. */
export const EditFrame = Type.Object({
  type: Type.Literal('edit'),
  id: Type.Optional(FrameId),
  roomId: RoomId,
  messageId: MessageId,
  message: Type.String(),
});

/** Deletes a message (one's own; owners and admins: anyone's): stores a `delete` event. */
export const DeleteFrame = Type.Object({
  type: Type.Literal('delete'),
  id: Type.Optional(FrameId),
  roomId: RoomId,
  messageId: MessageId,
});

/** Adds (or, with `remove`, takes back) the caller's reaction: stores a `reaction` event. */
export const ReactFrame = Type.Object({
  type: Type.Literal('react'),
  id: Type.Optional(FrameId),
  roomId: RoomId,
  messageId: MessageId,
  emoji: Type.String({ maxLength: 64 }),
  remove: Type.Optional(Type.Boolean()),
});

/** Sets the room's topic ("" clears it): stores a `topic` event. */
export const TopicFrame = Type.Object({
  type: Type.Literal('topic'),
  id: Type.Optional(FrameId),
  roomId: RoomId,
  topic: Type.String(),
});

export const PingFrame = Type.Object({
  type: Type.Literal('ping'),
  id: Type.Optional(FrameId),
});

/** "I am typing in this room": relayed to the room's other connections, never stored. */
export const TypingFrame = Type.Object({
  type: Type.Literal('typing'),
  id: Type.Optional(FrameId),
  roomId: RoomId,
});

/** "I have read up to `seq`": moves the caller's read marker, which `unread` counts from. */
export const ReadFrame = Type.Object({
  type: Type.Literal('read'),
  id: Type.Optional(FrameId),
  roomId: RoomId,
  seq: Seq,
});

export const CLIENT_FRAMES = {
  join: JoinFrame,
  leave: LeaveFrame,
  send: SendFrame,
  ping: PingFrame,
  typing: TypingFrame,
  read: ReadFrame,
  edit: EditFrame,
  delete: DeleteFrame,
  react: ReactFrame,
  topic: TopicFrame,
} as const;

export type ClientFrameType = keyof typeof CLIENT_FRAMES;
export type JoinFrame = Static<typeof JoinFrame>;
export type LeaveFrame = Static<typeof LeaveFrame>;
export type SendFrame = Static<typeof SendFrame>;
export type PingFrame = Static<typeof PingFrame>;
export type TypingFrame = Static<typeof TypingFrame>;
export type ReadFrame = Static<typeof ReadFrame>;
export type EditFrame = Static<typeof EditFrame>;
export type DeleteFrame = Static<typeof DeleteFrame>;
export type ReactFrame = Static<typeof ReactFrame>;
export type TopicFrame = Static<typeof TopicFrame>;
export type ClientFrame =
  | JoinFrame
  | LeaveFrame
  | SendFrame
  | PingFrame
  | TypingFrame
  | ReadFrame
  | EditFrame
  | DeleteFrame
  | ReactFrame
  | TopicFrame;

/** Frames the server sends. Only replies (joined, left, ack, pong, error) carry a top-level `id`. */
export type ServerFrame =
  | { type: 'welcome'; user: UserView }
  | { type: 'joined'; id?: string; roomId: string; lastSeq: number }
  /** `by`: who removed the user (absent when the user left, from this or another connection). */
  | { type: 'left'; id?: string; roomId: string; by?: UserView }
  /**
   * A stored message or event. A reaction that changes nothing (already there,
   * or not there to remove) stores nothing: its ack names the target message
   * and says `unchanged`.
   */
  | { type: 'ack'; id?: string; seq: number; messageId: string; unchanged?: true }
  | { type: 'pong'; id?: string }
  | { type: 'message'; data: ChatMessage }
  | { type: 'presence'; roomId: string; user: UserView; online: boolean }
  /**
   * Presence in a big room, batched: the latest change of up to 50 users since
   * the last batch, and how many more changed (counted, not listed).
   */
  | {
      type: 'presences';
      roomId: string;
      changes: Array<{ user: UserView; online: boolean }>;
      more: number;
    }
  | { type: 'typing'; roomId: string; user: UserView }
  | { type: 'room'; room: RoomView }
  /** A member's role changed (the owner named or demoted an admin). */
  | { type: 'role'; roomId: string; user: UserView; role: Role }
  /** An operator deleted the room (`confab room delete`): forget it; it answers `room_not_found` from now on. */
  | { type: 'room_deleted'; roomId: string }
  | { type: 'error'; id?: string; code: ErrorCode; message: string; retryAfterMs?: number };
