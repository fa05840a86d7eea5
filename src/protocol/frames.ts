/**
 * WebSocket frames: one JSON object per text frame, tagged by `type`.
 * The schemas validate what clients send and give the types; docs/protocol.md
 * documents the same shapes with examples.
 */
import { type Static, Type } from '@sinclair/typebox';
import type { ErrorCode } from './errors.js';
import type { ChatMessage, RoomView, UserView } from './message.js';

/** A client-chosen id, echoed on the reply (and, on `send`, the idempotency key). */
const FrameId = Type.String({ minLength: 1, maxLength: 128 });
const RoomId = Type.String({ maxLength: 256 });
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

export const SendFrame = Type.Object({
  type: Type.Literal('send'),
  id: Type.Optional(FrameId),
  roomId: RoomId,
  message: Type.String(),
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
} as const;

export type ClientFrameType = keyof typeof CLIENT_FRAMES;
export type JoinFrame = Static<typeof JoinFrame>;
export type LeaveFrame = Static<typeof LeaveFrame>;
export type SendFrame = Static<typeof SendFrame>;
export type PingFrame = Static<typeof PingFrame>;
export type TypingFrame = Static<typeof TypingFrame>;
export type ReadFrame = Static<typeof ReadFrame>;
export type ClientFrame = JoinFrame | LeaveFrame | SendFrame | PingFrame | TypingFrame | ReadFrame;

/** Frames the server sends. Only replies (joined, left, ack, pong, error) carry a top-level `id`. */
export type ServerFrame =
  | { type: 'welcome'; user: UserView }
  | { type: 'joined'; id?: string; roomId: string; lastSeq: number }
  | { type: 'left'; id?: string; roomId: string }
  | { type: 'ack'; id?: string; seq: number; messageId: string }
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
  | { type: 'error'; id?: string; code: ErrorCode; message: string; retryAfterMs?: number };
