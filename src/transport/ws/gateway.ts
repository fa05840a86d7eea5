import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { type RawData, WebSocket, WebSocketServer } from 'ws';
import type { Accounts } from '../../core/accounts.js';
import type { User } from '../../core/domain.js';
import { ChatError, toChatError } from '../../core/errors.js';
import type { SessionEndReason } from '../../core/ports/bus.js';
import { encodeFrame, encodeSharedFrame } from '../../protocol/encode.js';
import { isAllowedOrigin } from './allowed-origin.js';
import { Connection, type ConnectionDeps } from './connection.js';
import { ConnectionCounter } from './connection-limits.js';
import { type Dialect, FRAMED, TERMINAL } from './dialect.js';
import { closeCodeFor, errorFrame, toClientError } from './failures.js';
import { type FrameContext, inputHandler, join } from './frame-handlers.js';
import { textFrame } from './shared-frames.js';
import { TurnBatch } from './turn-batch.js';

const FOREIGN_ORIGIN =
  "This page's origin may not open a WebSocket here; the server's ALLOWED_ORIGINS can list it.";

const SESSION_ENDED: Record<SessionEndReason, string> = {
  signed_out: 'Signed out: log in again.',
  banned: 'The account is banned.',
  password_reset: 'The password was reset: log in again.',
};

/** How often the server pings each client; one that has not answered by the next ping is cut off. */
const HEARTBEAT_MS = 30_000;

export interface GatewayOptions {
  sendQueueBytes: number;
  allowGuests: boolean;
  maxFrameBytes: number;
  connectionsPerUser: number;
  connectionsPerIp: number;
  trustProxy: boolean;
  allowedOrigins: readonly string[];
}

/** A WebSocket route: how it speaks, and, for a terminal's, its one room. */
type Route = { dialect: Dialect; roomId?: string };

/**
 * The WebSocket edge: upgrades `/api/ws` and `/api/serve/:roomId`,
 * authenticates, applies the connection limits, and tracks every open
 * connection for presence and for shutdown.
 */
export class Gateway {
  private readonly wss: WebSocketServer;
  private readonly connections = new Set<Connection>();
  private readonly deps: ConnectionDeps;
  private readonly perUser: ConnectionCounter;
  private readonly perIp: ConnectionCounter;
  private readonly heartbeat: ReturnType<typeof setInterval>;
  private readonly stopDirectory: () => void;
  private readonly stopNotices: () => void;
  private draining = false;
  /** Closes under way (presence, the terminal's leave): a drain waits for them. */
  private readonly closings = new Set<Promise<void>>();

  constructor(
    private readonly accounts: Accounts,
    private readonly context: FrameContext,
    private readonly options: GatewayOptions,
  ) {
    this.wss = new WebSocketServer({
      noServer: true,
      maxPayload: options.maxFrameBytes,
      clientTracking: false,
      perMessageDeflate: false,
    });
    this.deps = {
      handleInput: inputHandler(context),
      log: context.log,
      metrics: context.metrics,
      batch: new TurnBatch(),
      sendQueueBytes: options.sendQueueBytes,
    };
    this.perUser = new ConnectionCounter(options.connectionsPerUser);
    this.perIp = new ConnectionCounter(options.connectionsPerIp);
    this.heartbeat = setInterval(() => this.beat(), HEARTBEAT_MS).unref();
    // One listener for every connection (not one closure each): a room to show, encoded once.
    this.stopDirectory = context.connections.onDirectory((room, audience) => {
      const frame = textFrame(encodeSharedFrame({ type: 'room', room }));
      const wanted = audience && new Set(audience);
      for (const conn of this.connections) {
        if (conn.dialect.signals && (!wanted || wanted.has(conn.user.id))) conn.sendShared(frame);
      }
    });
    this.stopNotices = context.connections.onNotice((event) => {
      if (event.kind === 'sessionsEnded') this.endSessions(event.userId, event.reason);
      else this.roomDeleted(event.roomId, event.audience);
    });
  }

  /** A sign-out, ban or password reset, on any node: the user's connections close with 4401. */
  private endSessions(userId: string, reason: SessionEndReason): void {
    const error = new ChatError('unauthorized', SESSION_ENDED[reason]);
    for (const conn of this.connections) {
      if (conn.user.id === userId) conn.fail(error, reason);
    }
  }

  /** A room deleted on any node: its connections stop hearing it and are told. */
  private roomDeleted(roomId: string, audience: string[] | undefined): void {
    const frame = textFrame(encodeSharedFrame({ type: 'room_deleted', roomId }));
    const wanted = audience && new Set(audience);
    for (const conn of this.connections) {
      const joined = this.context.connections.roomDeleted(conn.session, roomId);
      if (conn.dialect.oneRoom) {
        if (conn.session.room === roomId) {
          conn.fail(new ChatError('room_not_found', 'The room was deleted.'));
        }
      } else if (joined || !wanted || wanted.has(conn.user.id)) {
        conn.sendShared(frame);
      }
    }
  }

  get size(): number {
    return this.connections.size;
  }

  /** Rooms joined on open connections, one per connection and room (read when metrics are scraped). */
  get roomSubscriptions(): number {
    let count = 0;
    for (const conn of this.connections) count += conn.session.rooms;
    return count;
  }

  /** The HTTP server's 'upgrade' listener. */
  handleUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer): void => {
    const route = routeOf(request.url ?? '/');
    if (!route) {
      refuseUpgrade(socket, 404, 'Not Found');
      return;
    }
    if (this.draining) {
      refuseUpgrade(socket, 503, 'Service Unavailable');
      return;
    }
    if (!isAllowedOrigin(request, this.options.allowedOrigins, this.options.trustProxy)) {
      refuseUpgrade(socket, 403, 'Forbidden', new ChatError('forbidden', FOREIGN_ORIGIN));
      return;
    }
    this.wss.handleUpgrade(request, socket, head, (ws) => {
      ws.on('error', this.onSocketError);
      this.accept(ws, socket, request, route).catch((err) =>
        this.refuse(ws, toClientError(err, this.context.log, 'websocket accept failed')),
      );
    });
  };

  private readonly onSocketError = (err: Error): void => {
    this.context.log.debug({ err }, 'websocket error');
  };

  /**
   * Refuses new upgrades, answers every frame the open connections received
   * (an ack, or `shutting_down`), closes them with 1012, and waits for their
   * clean-up (presence) to finish. Bounded by the caller, who then calls `terminate`.
   */
  async drain(): Promise<void> {
    this.draining = true;
    clearInterval(this.heartbeat);
    this.stopDirectory();
    this.stopNotices();
    const closed = [...this.connections].map(
      (conn) => new Promise<void>((resolve) => conn.onClose(resolve)),
    );
    for (const conn of this.connections) {
      conn
        .drain('server restarting: reconnect and resume with since')
        .catch((err) => this.context.log.warn({ err }, 'connection drain failed'));
    }
    await Promise.all(closed);
    await Promise.allSettled([...this.closings]);
    this.wss.close();
  }

  /** Cuts whatever a drain left open. */
  terminate(): void {
    for (const conn of this.connections) conn.terminate();
    this.wss.close();
  }

  private async accept(
    ws: WebSocket,
    socket: Duplex,
    request: IncomingMessage,
    route: Route,
  ): Promise<void> {
    // Frames may arrive while the token is checked: hold them until the connection exists.
    const early: Array<[RawData, boolean]> = [];
    const hold = (data: RawData, isBinary: boolean) => early.push([data, isBinary]);
    ws.on('message', hold);
    // The address is counted first, so a refused connection makes no guest.
    const ip = clientAddress(request, this.options.trustProxy);
    if (!this.perIp.tryAdd(ip)) {
      return this.refuse(ws, new ChatError('too_many_connections'));
    }
    let found: { user: User; unsaved?: true } | null;
    try {
      found = await this.authenticate(request, ip);
    } catch (err) {
      this.perIp.remove(ip);
      const error = toChatError(err);
      // A rate limit or a store that did not answer is no verdict on the token: the client retries.
      if (error.code === 'rate_limited' || error.code === 'store_unavailable') {
        return this.refuse(ws, error);
      }
      throw err;
    } finally {
      ws.off('message', hold);
    }
    if (!found || ws.readyState !== WebSocket.OPEN) {
      this.perIp.remove(ip);
      return this.refuse(ws, new ChatError('unauthorized'));
    }
    if (this.draining) {
      this.perIp.remove(ip);
      return this.refuse(ws, new ChatError('shutting_down'));
    }
    const { user, unsaved } = found;
    if (!this.perUser.tryAdd(user.id)) {
      this.perIp.remove(ip);
      return this.refuse(ws, new ChatError('too_many_connections'));
    }

    const { roomId } = route;
    const session = this.context.connections.open(user, { unsavedGuest: unsaved, room: roomId });
    const conn = new Connection(ws, socket, session, route.dialect, this.deps);
    this.connections.add(conn);
    conn.onClose(() => {
      this.connections.delete(conn);
      this.perIp.remove(ip);
      this.perUser.remove(user.id);
      const closing = this.context.connections
        .close(session, conn.settled())
        .catch((err) => this.context.log.warn({ err }, 'connection clean-up failed'));
      this.closings.add(closing);
      closing.finally(() => this.closings.delete(closing));
    });

    if (roomId === undefined) {
      conn.send({ type: 'welcome', user: conn.user });
    } else {
      // The join goes first in the connection's queue, so lines typed meanwhile wait for it.
      conn.run(() => this.joinServeRoom(conn, roomId));
    }
    for (const [data, isBinary] of early) conn.receive(data, isBinary);
  }

  /** Refuses a connection not yet made: its error frame, then the close code it calls for. */
  private refuse(ws: WebSocket, error: ChatError): void {
    this.context.metrics.error(error.code);
    if (ws.readyState !== WebSocket.OPEN) return;
    ws.send(encodeFrame(errorFrame(error)));
    ws.close(closeCodeFor(error), error.code);
  }

  private async joinServeRoom(conn: Connection, roomId: string): Promise<void> {
    try {
      await join(conn, { type: 'join', roomId }, this.context);
    } catch (err) {
      conn.fail(err);
    }
  }

  /** A token from `Authorization: Bearer` or `?token=`; none makes a guest where guests are allowed. */
  private async authenticate(
    request: IncomingMessage,
    ip: string,
  ): Promise<{ user: User; unsaved?: true } | null> {
    const header = request.headers.authorization;
    const fromHeader = header ? /^Bearer\s+(\S+)$/i.exec(header)?.[1] : undefined;
    const token =
      fromHeader ?? new URL(request.url ?? '/', 'http://localhost').searchParams.get('token');
    if (header && !fromHeader) return null;
    if (token) {
      // A bad token closes with 4401; a store that does not answer is no verdict on the token.
      const user = await this.accounts.authenticate(token).catch((err) => {
        if (err instanceof ChatError && err.code === 'unauthorized') return null;
        throw err;
      });
      return user && { user };
    }
    if (!this.options.allowGuests) return null;
    await this.context.limits.checkGuest(ip);
    // Stored on its first join (see Connection.storedAccount), not for a connection that only looks.
    return { user: this.accounts.unsavedGuest(), unsaved: true };
  }

  private beat(): void {
    for (const conn of this.connections) conn.heartbeat();
  }
}

function routeOf(url: string): Route | undefined {
  const path = url.split('?', 1)[0] ?? '';
  if (path === '/api/ws') return { dialect: FRAMED };
  const serve = /^\/api\/serve\/([^/]+)$/.exec(path);
  if (serve?.[1]) return { dialect: TERMINAL, roomId: decodeSegment(serve[1]) };
  return undefined;
}

/** A malformed escape is kept as typed: it names no room, and answers like any unknown room. */
function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function clientAddress(request: IncomingMessage, trustProxy: boolean): string {
  const forwarded = request.headers['x-forwarded-for'];
  if (trustProxy && typeof forwarded === 'string') {
    return forwarded.split(',', 1)[0]?.trim() || 'unknown';
  }
  return request.socket.remoteAddress ?? 'unknown';
}

/** Answers the upgrade request in plain HTTP; with an error, in the contract's JSON shape. */
function refuseUpgrade(socket: Duplex, status: number, text: string, error?: ChatError): void {
  const body = error ? JSON.stringify({ error: error.toBody() }) : '';
  const type = error ? 'Content-Type: application/json; charset=utf-8\r\n' : '';
  socket.end(
    `HTTP/1.1 ${status} ${text}\r\nConnection: close\r\n${type}Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}
