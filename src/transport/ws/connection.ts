import type { Duplex } from 'node:stream';
import type { RawData, WebSocket } from 'ws';
import type { Delivered, Peer, SignalFrame } from '../../core/connections/peer.js';
import type { Session } from '../../core/connections/session.js';
import type { User } from '../../core/domain.js';
import { ChatError } from '../../core/errors.js';
import type { Metrics } from '../../core/ports/metrics.js';
import type { Logger } from '../../logger.js';
import { encodeFrame } from '../../protocol/encode.js';
import { CLOSE_CODES } from '../../protocol/errors.js';
import type { ClientFrame, ServerFrame } from '../../protocol/frames.js';
import type { UserView } from '../../protocol/message.js';
import { DeferredReads } from './deferred-reads.js';
import type { Dialect } from './dialect.js';
import { closeCodeFor, errorFrame, toClientError } from './failures.js';
import { InboundQueue } from './inbound-queue.js';
import { Outbound } from './outbound.js';
import { frameId, parseText, toClientFrame } from './parse-frame.js';
import { signalFrames } from './shared-frames.js';
import type { TurnBatch } from './turn-batch.js';

/** How long a client that was told to close may take before its socket is cut. */
const CLOSE_TIMEOUT_MS = 5_000;
/**
 * Event-loop turns a draining connection waits for frames still arriving
 * (already in its socket's buffer) before it closes; bounded so that a client
 * that keeps sending cannot hold the drain open.
 */
const DRAIN_TURNS = 20;

/** What a connection does with a valid frame, or with a plain line on a terminal's connection. */
export type InputHandler = (conn: Connection, input: ClientFrame | string) => Promise<void>;

/** What every connection of a gateway shares. */
export interface ConnectionDeps {
  handleInput: InputHandler;
  log: Logger;
  metrics: Metrics;
  /** The gateway's per-turn batch of replies (see TurnBatch). */
  batch: TurnBatch;
  /** Bytes waiting for one client before it is cut as a slow consumer. */
  sendQueueBytes: number;
}

/**
 * One WebSocket client. What it is sent goes out through its Outbound
 * writer (bounded: a client that reads too slowly is disconnected with 4000
 * and resumes with `since`); what it sends is handled one frame at a time,
 * in arrival order, by its InboundQueue; every failure goes through
 * failures.ts. How its route speaks is its Dialect.
 */
export class Connection implements Peer {
  readonly user: UserView;
  readonly account: User;
  readonly deferredReads = new DeferredReads();
  private closing = false;
  private draining = false;
  private answeredPing = true;
  private closeListeners: Array<() => void> | undefined;
  private readonly out: Outbound;
  private readonly inbound: InboundQueue;

  constructor(
    private readonly ws: WebSocket,
    socket: Duplex,
    /** What the core keeps of this connection: whose it is, its rooms (see Connections). */
    readonly session: Session,
    readonly dialect: Dialect,
    private readonly deps: ConnectionDeps,
  ) {
    this.user = session.user;
    this.account = session.account;
    this.out = new Outbound(ws, socket, deps.sendQueueBytes, deps.batch, () =>
      this.cutSlowConsumer(),
    );
    this.inbound = new InboundQueue(ws, (err) => deps.log.error({ err }, 'connection task failed'));
    ws.on('message', (data, isBinary) => this.receive(data, isBinary));
    ws.on('pong', () => {
      this.answeredPing = true;
    });
    ws.on('close', () => {
      this.closing = true;
      this.out.stop();
      this.deferredReads.clear();
      const listeners = this.closeListeners ?? [];
      this.closeListeners = undefined;
      for (const listener of listeners) listener();
    });
  }

  get open(): boolean {
    return !this.closing;
  }

  onClose(listener: () => void): void {
    if (this.closing) {
      listener();
      return;
    }
    this.closeListeners ??= [];
    this.closeListeners.push(listener);
  }

  // Subscriber

  message(delivered: Delivered): void {
    this.out.shared(this.dialect.messages.of(delivered));
  }

  signal(frame: SignalFrame): void {
    if (!this.dialect.signals) return;
    if (frame.type === 'typing' && frame.user.id === this.user.id) return;
    this.out.shared(signalFrames.of(frame));
  }

  removed(roomId: string, by?: UserView): void {
    if (!this.session.forget(roomId)) return;
    if (this.dialect.oneRoom) {
      this.fail(new ChatError('room_not_found', 'No longer a member of this room.'));
    } else {
      this.send(by ? { type: 'left', roomId, by } : { type: 'left', roomId });
    }
  }

  drained(): Promise<void> {
    return this.out.drained();
  }

  // Output

  /** A frame for this connection alone. */
  send(frame: ServerFrame): void {
    this.out.reply(encodeFrame(frame));
  }

  /** A frame many connections receive, built once (see SharedFrames). */
  sendShared(frame: Buffer): void {
    this.out.shared(frame);
  }

  /** An error reply; the connection goes on. */
  sendError(error: ChatError, id?: string): void {
    this.deps.metrics.error(error.code);
    this.send(errorFrame(error, id));
  }

  /**
   * A failure that ends the connection: its error frame, then the close code
   * it calls for; the close reason is the error's code unless given.
   */
  fail(err: unknown, reason?: string): void {
    const error = toClientError(err, this.deps.log, 'connection failed');
    this.sendError(error);
    this.close(closeCodeFor(error), reason ?? error.code);
  }

  /**
   * Sends a close frame after everything queued; a client that does not
   * answer within 5 s is cut off.
   */
  close(code: number, reason: string): void {
    if (this.closing) return;
    this.out.finish();
    this.closeNow(code, reason);
  }

  private closeNow(code: number, reason: string): void {
    this.closing = true;
    this.ws.close(code, reason);
    setTimeout(() => this.ws.terminate(), CLOSE_TIMEOUT_MS).unref();
  }

  /**
   * A slow consumer: what waits for it was dropped (it resumes with `since`)
   * and the close frame goes right behind what the socket already holds, so
   * that a client that reads again soon gets 4000 rather than 1006. One that
   * reads nothing for CLOSE_TIMEOUT_MS is cut without it (see reliability.md).
   */
  private cutSlowConsumer(): void {
    this.deps.log.warn({ userId: this.user.id }, 'slow consumer disconnected');
    this.deps.metrics.slowConsumer();
    this.closeNow(CLOSE_CODES.slowConsumer, 'send queue full: reconnect and resume with since');
  }

  /**
   * Shutdown: the frame being handled finishes (its ack goes out), every
   * frame received after it is answered `shutting_down` (nothing stored), then
   * the socket closes with 1012 so that the client reconnects and resumes.
   */
  async drain(reason: string): Promise<void> {
    this.draining = true;
    for (let turn = 0; turn < DRAIN_TURNS && !this.closing; turn++) {
      await this.inbound.settled();
      // Frames already in the socket's buffer are read in the next I/O phase, before setImmediate.
      await new Promise((resolve) => setImmediate(resolve));
      if (this.inbound.size === 0) break;
    }
    this.close(CLOSE_CODES.serviceRestart, reason);
  }

  /** Cuts the socket without a closing handshake (a drain that ran out of time). */
  terminate(): void {
    this.closing = true;
    this.ws.terminate();
  }

  /** Pings the client; one that did not answer the previous ping is cut off. */
  heartbeat(): void {
    if (!this.answeredPing) {
      this.ws.terminate();
      return;
    }
    this.answeredPing = false;
    this.ws.ping();
  }

  // Input

  receive(data: RawData, isBinary: boolean): void {
    if (this.closing) return;
    const text = isBinary ? null : rawToString(data);
    this.run(() => (text === null ? this.refuseBinary() : this.handle(text)));
  }

  /** Queues work behind the frames read so far (see InboundQueue). */
  run(task: () => Promise<void>): void {
    this.inbound.run(task);
  }

  /** Waits for the frames read so far to be handled. */
  settled(): Promise<void> {
    return this.inbound.settled();
  }

  private async refuseBinary(): Promise<void> {
    this.sendError(new ChatError('invalid_request', 'Frames are JSON text, not binary.'));
  }

  private async handle(text: string): Promise<void> {
    if (this.closing) return;
    const parsed = parseText(text);
    const id = parsed.kind === 'object' ? frameId(parsed.value) : undefined;
    try {
      if (this.draining) throw new ChatError('shutting_down');
      if (parsed.kind === 'object') {
        await this.deps.handleInput(this, toClientFrame(parsed.value));
      } else if (this.dialect.lines) {
        await this.deps.handleInput(this, text);
      } else {
        throw new ChatError('invalid_request', 'A frame is one JSON object.');
      }
    } catch (err) {
      this.sendError(toClientError(err, this.deps.log, 'frame failed'), id);
    }
  }
}

function rawToString(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.isBuffer(data) ? data.toString('utf8') : Buffer.from(data).toString('utf8');
}
