import type { Actions, Unchanged } from '../../core/actions.js';
import type { Chat } from '../../core/chat.js';
import type { Commands } from '../../core/commands/commands.js';
import { isCommand } from '../../core/commands/parse-command.js';
import type { Connections } from '../../core/connections/connections.js';
import type { Limits } from '../../core/limits.js';
import type { Metrics } from '../../core/ports/metrics.js';
import type { AppendResult } from '../../core/ports/store.js';
import type { Logger } from '../../logger.js';
import type {
  ClientFrame,
  JoinFrame,
  LeaveFrame,
  ReadFrame,
  SendFrame,
} from '../../protocol/frames.js';
import type { Connection } from './connection.js';

export interface FrameContext {
  chat: Chat;
  actions: Actions;
  commands: Commands;
  connections: Connections;
  log: Logger;
  metrics: Metrics;
  limits: Limits;
}

/** Routes a connection's input: a frame to its handler, a plain line to the serve room. */
export function inputHandler(ctx: FrameContext) {
  return (conn: Connection, input: ClientFrame | string): Promise<void> => {
    const isText = typeof input === 'string';
    ctx.metrics.received(isText ? 'text' : input.type);
    return isText ? handleServeText(conn, input, ctx) : handleFrame(conn, input, ctx);
  };
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
      return ctx.chat.typing(conn.account, frame.roomId, conn.session.joined(frame.roomId));
    case 'read':
      return read(conn, frame, ctx);
    case 'edit':
      return ack(
        conn,
        frame.id,
        await ctx.actions.edit(
          conn.account,
          frame.roomId,
          frame.messageId,
          frame.message,
          frame.id,
        ),
      );
    case 'delete':
      return ack(
        conn,
        frame.id,
        await ctx.actions.delete(conn.account, frame.roomId, frame.messageId, frame.id),
      );
    case 'react':
      return ack(
        conn,
        frame.id,
        await ctx.actions.react(
          conn.account,
          frame.roomId,
          frame.messageId,
          frame.emoji,
          frame.remove === true,
          frame.id,
        ),
      );
    case 'topic':
      return ack(
        conn,
        frame.id,
        await ctx.actions.setTopic(conn.account, frame.roomId, frame.topic, frame.id),
      );
  }
}

/**
 * Acknowledges a stored event (edit, delete, reaction, topic). It was
 * published before this ack is sent: unlike a send's, the ack may follow the
 * sender's own copy of it. A reaction that changed nothing names its target.
 */
function ack(conn: Connection, id: string | undefined, result: AppendResult | Unchanged): void {
  if ('unchanged' in result) {
    const { seq, id: messageId } = result.unchanged;
    conn.send({ type: 'ack', ...withId(id), seq, messageId, unchanged: true });
    return;
  }
  conn.send({ type: 'ack', ...withId(id), seq: result.message.seq, messageId: result.message.id });
}

/** Moves the read marker; one held back by READ_RATE is written later, the newest of its room. */
async function read(conn: Connection, frame: ReadFrame, ctx: FrameContext): Promise<void> {
  const joined = conn.session.joined(frame.roomId);
  const waitMs = await ctx.chat.markRead(conn.account, frame.roomId, frame.seq, joined);
  if (waitMs === 0 || !joined) return;
  conn.deferredReads.defer(frame.roomId, frame.seq, waitMs, (roomId, seq) =>
    conn.run(() => read(conn, { type: 'read', roomId, seq }, ctx).catch(() => undefined)),
  );
}

/** A line typed into `/api/serve/:roomId`: a chat message to that room, acknowledged by its echo. */
async function handleServeText(conn: Connection, text: string, ctx: FrameContext): Promise<void> {
  const roomId = conn.session.room;
  if (roomId === undefined) return;
  const trimmed = text.replace(/\r?\n$/, '');
  const sent = await ctx.chat.send(conn.account, roomId, trimmed, {
    knownMember: conn.session.joined(roomId),
  });
  runIfCommand(conn, sent, undefined, ctx);
}

/** Joins the room live on this connection; with `since`, replays what it missed first. */
export function join(conn: Connection, frame: JoinFrame, ctx: FrameContext): Promise<void> {
  return ctx.connections.join(conn.session, conn, frame.roomId, frame.since, (lastSeq) =>
    conn.send({ type: 'joined', ...withId(frame.id), roomId: frame.roomId, lastSeq }),
  );
}

async function leave(conn: Connection, frame: LeaveFrame, ctx: FrameContext): Promise<void> {
  await ctx.connections.leave(conn.session, frame.roomId);
  conn.send({ type: 'left', ...withId(frame.id), roomId: frame.roomId });
}

async function send(conn: Connection, frame: SendFrame, ctx: FrameContext): Promise<void> {
  const sent = await ctx.chat.send(conn.account, frame.roomId, frame.message, {
    clientId: frame.id,
    knownMember: conn.session.joined(frame.roomId),
    onStored: ({ message }) =>
      conn.send({ type: 'ack', ...withId(frame.id), seq: message.seq, messageId: message.id }),
    replyTo: frame.replyTo,
  });
  runIfCommand(conn, sent, frame.id, ctx);
}

/**
 * A stored message that starts with `/` is also a command (a resend of one
 * already stored is not run again). Its failures reach the sender as error
 * frames with the send's `id`, after the ack.
 */
function runIfCommand(
  conn: Connection,
  { message, duplicate }: AppendResult,
  id: string | undefined,
  ctx: FrameContext,
): void {
  if (duplicate || !isCommand(message.message)) return;
  ctx.commands.run(message, conn.account, (error) => conn.sendError(error, id));
}

function withId(id: string | undefined): { id?: string } {
  return id === undefined ? {} : { id };
}
