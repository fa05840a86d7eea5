import type { Chat } from '../../core/chat.js';
import type { Delivery } from '../../core/delivery/delivery.js';
import { ChatError } from '../../core/errors.js';
import type { Logger } from '../../logger.js';
import type { ClientFrame, JoinFrame, LeaveFrame, SendFrame } from '../../protocol/frames.js';
import type { Connection } from './connection.js';

export interface FrameContext {
  chat: Chat;
  delivery: Delivery;
  log: Logger;
  roomsPerConnection: number;
}

/** Routes a connection's input: a frame to its handler, a plain line to the serve room. */
export function inputHandler(ctx: FrameContext) {
  return (conn: Connection, input: ClientFrame | string): Promise<void> =>
    typeof input === 'string' ? handleServeText(conn, input, ctx) : handleFrame(conn, input, ctx);
}

/** One handler per frame type; each replies with the frame's `id`. */
async function handleFrame(conn: Connection, frame: ClientFrame, ctx: FrameContext): Promise<void> {
  switch (frame.type) {
    case 'join':
      return join(conn, frame, ctx);
    case 'leave':
      return leave(conn, frame, ctx);
    case 'send':
      return send(conn, frame, ctx);
    case 'ping':
      return conn.send({ type: 'pong', ...withId(frame.id) });
    case 'typing':
      return ctx.chat.typing(conn.account, frame.roomId, conn.joined.has(frame.roomId));
    case 'read':
      return ctx.chat.markRead(
        conn.account,
        frame.roomId,
        frame.seq,
        conn.joined.has(frame.roomId),
      );
  }
}

/** A line typed into `/api/serve/:roomId`: a chat message to that room, acknowledged by its echo. */
async function handleServeText(conn: Connection, text: string, ctx: FrameContext): Promise<void> {
  const roomId = conn.serveRoom;
  if (roomId === undefined) return;
  const trimmed = text.replace(/\r?\n$/, '');
  await ctx.chat.send(conn.account, roomId, trimmed, undefined, conn.joined.has(roomId));
}

/** Joins the room and subscribes this connection; with `since`, replays what it missed first. */
export async function join(conn: Connection, frame: JoinFrame, ctx: FrameContext): Promise<void> {
  const previous = conn.joined.get(frame.roomId);
  if (!previous && conn.joined.size >= ctx.roomsPerConnection) {
    throw new ChatError(
      'too_many_rooms',
      `A connection may join at most ${ctx.roomsPerConnection} rooms.`,
    );
  }
  await ctx.chat.join(conn.account, frame.roomId);
  if (previous) {
    ctx.delivery.unsubscribe(previous);
    conn.joined.delete(frame.roomId);
  }
  const subscription = await ctx.delivery.subscribe(frame.roomId, conn, frame.since, (lastSeq) =>
    conn.send({ type: 'joined', ...withId(frame.id), roomId: frame.roomId, lastSeq }),
  );
  if (!conn.open) {
    ctx.delivery.unsubscribe(subscription);
    return;
  }
  conn.joined.set(frame.roomId, subscription);
  ctx.delivery.signal({ kind: 'presence', roomId: frame.roomId, user: conn.user, online: true });
}

async function leave(conn: Connection, frame: LeaveFrame, ctx: FrameContext): Promise<void> {
  // A refused leave (the owner's, or of a direct room) keeps the connection in the room.
  await ctx.chat.checkLeave(conn.account, frame.roomId);
  const subscription = conn.joined.get(frame.roomId);
  if (subscription) {
    ctx.delivery.unsubscribe(subscription);
    conn.joined.delete(frame.roomId);
  }
  await ctx.chat.leave(conn.account, frame.roomId);
  conn.send({ type: 'left', ...withId(frame.id), roomId: frame.roomId });
}

async function send(conn: Connection, frame: SendFrame, ctx: FrameContext): Promise<void> {
  await ctx.chat.send(
    conn.account,
    frame.roomId,
    frame.message,
    frame.id,
    conn.joined.has(frame.roomId),
    ({ message }) =>
      conn.send({ type: 'ack', ...withId(frame.id), seq: message.seq, messageId: message.id }),
  );
}

function withId(id: string | undefined): { id?: string } {
  return id === undefined ? {} : { id };
}
