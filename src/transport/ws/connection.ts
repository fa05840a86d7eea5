import type { Duplex } from 'node:stream';
import { type RawData, WebSocket } from 'ws';
import { toUserView } from '../../core/accounts.js';
import type { Delivered, SignalFrame } from '../../core/delivery/delivered.js';
import type { RoomSubscription } from '../../core/delivery/room-subscription.js';
import type { Subscriber } from '../../core/delivery/subscriber.js';
import type { User } from '../../core/domain.js';
import { ChatError, toChatError } from '../../core/errors.js';
import type { Metrics } from '../../core/ports/metrics.js';
import type { Logger } from '../../logger.js';
import { encodeFrame } from '../../protocol/encode.js';
import { CLOSE_CODES } from '../../protocol/errors.js';
import type { ClientFrame, ServerFrame } from '../../protocol/frames.js';
import type { UserView } from '../../protocol/message.js';
import { DeferredReads } from './deferred-reads.js';
import { OutgoingQueue } from './outgoing-queue.js';
import { frameId, parseText, toClientFrame } from './parse-frame.js';
import { bareMessageFrames, messageFrames, ownTextFrame, signalFrames } from './shared-frames.js';

/** Frames read ahead of the handler at most; past it the socket stops reading (backpressure). */
const MAX_QUEUED_FRAMES = 64;
/** How long a client that was told to close may take before its socket is cut. */
const CLOSE_TIMEOUT_MS = 5_000;
/**
 * Event-loop turns a draining connection waits for frames still arriving
 * (already in its socket's buffer) before it closes; bounded so that a client
 * that keeps sending cannot hold the drain open.
 */
const DRAIN_TURNS = 20;

export type ConnectionMode = 'ws' | 'serve';

const SETTLED: Promise<void> = Promise.resolve();

/**
 * Replies written to a connection within one event-loop turn leave in one
 * write: the socket is corked at the first and uncorked once for all at the
 * end of the turn. An ack and the sender's own copy, which follows it, share
 * a packet.
 */
const corked: Connection[] = [];
let uncorkScheduled = false;

function uncorkAll(): void {
  uncorkScheduled = false;
  for (const conn of corked.splice(0)) conn.uncork();
}

/** What a connection does with a valid frame, or with a plain line of text on `/api/serve`. */
export type InputHandler = (conn: Connection, input: ClientFrame | string) => Promise<void>;

export interface ConnectionLimits {
  roomsPerConnection: number;
  sendQueueBytes: number;
}

/**
 * One WebSocket client. Frames are handled one at a time, in arrival order;
 * every failure becomes an error frame, a close with a code, or a logged
 * internal error. What the room sends goes through a bounded queue: a client
 * that reads too slowly is disconnected with 4000 and resumes with `since`.
 */
export class Connection implements Subscriber {
  readonly id = crypto.randomUUID();
  readonly user: UserView;
  readonly joined = new Map<string, RoomSubscription>();
  readonly deferredReads = new DeferredReads();
  /** The room of an `/api/serve/:roomId` connection. */
  serveRoom: string | undefined;
  private tail: Promise<void> = SETTLED;
  private queued = 0;
  private paused = false;
  private closing = false;
  private draining = false;
  private isCorked = false;
  private answeredPing = true;
  private closeListeners: Array<() => void> | undefined;
  /** Stores a tokenless guest's account; set until it has been stored. */
  private storeAccount: (() => Promise<void>) | undefined;
  private readonly outgoing: OutgoingQueue;

  constructor(
    private readonly ws: WebSocket,
    socket: Duplex,
    readonly account: User,
    readonly mode: ConnectionMode,
    private readonly handleInput: InputHandler,
    private readonly log: Logger,
    private readonly limits: ConnectionLimits,
    private readonly metrics: Metrics,
  ) {
    this.user = toUserView(account);
    this.outgoing = new OutgoingQueue(socket, limits.sendQueueBytes);
    ws.on('message', (data, isBinary) => this.receive(data, isBinary));
    ws.on('pong', () => {
      this.answeredPing = true;
    });
    ws.on('close', () => {
      this.closing = true;
      this.outgoing.discard();
      this.deferredReads.clear();
      const listeners = this.closeListeners ?? [];
      this.closeListeners = undefined;
      for (const listener of listeners) listener();
    });
  }

  /** A tokenless guest's account is stored by `storedAccount`, before the connection's first lasting act. */
  storeAccountLater(store: () => Promise<void>): void {
    this.storeAccount = store;
  }

  /** Resolves once the account is stored (at once for an account that came with a token). */
  async storedAccount(): Promise<void> {
    if (!this.storeAccount) return;
    await this.storeAccount();
    this.storeAccount = undefined;
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
    this.writeShared(
      this.mode === 'serve' ? bareMessageFrames.of(delivered) : messageFrames.of(delivered),
    );
  }

  signal(frame: SignalFrame): void {
    if (this.mode !== 'ws') return;
    if (frame.type === 'typing' && frame.user.id === this.user.id) return;
    this.writeShared(signalFrames.of(frame));
  }

  removed(roomId: string, by?: UserView): void {
    if (!this.joined.delete(roomId)) return;
    if (this.mode === 'ws') this.send(by ? { type: 'left', roomId, by } : { type: 'left', roomId });
    else this.close(CLOSE_CODES.roomNotFound, 'left the room');
  }

  drained(): Promise<void> {
    if (this.closing) return Promise.resolve();
    return this.outgoing.whenBelow(this.limits.sendQueueBytes / 2);
  }

  // Output

  send(frame: ServerFrame): void {
    this.write(encodeFrame(frame));
  }

  sendError(error: ChatError, id?: string): void {
    this.metrics.error(error.code);
    this.send({ type: 'error', ...(id === undefined ? {} : { id }), ...error.toBody() });
  }

  /**
   * Sends a close frame after everything queued; a client that does not
   * answer within 5 s is cut off.
   */
  close(code: number, reason: string): void {
    if (this.closing) return;
    this.outgoing.flushAll();
    this.closeNow(code, reason);
  }

  private closeNow(code: number, reason: string): void {
    this.closing = true;
    this.ws.close(code, reason);
    setTimeout(() => this.ws.terminate(), CLOSE_TIMEOUT_MS).unref();
  }

  /**
   * A slow consumer: what waits for it is dropped (it resumes with `since`)
   * and the close frame goes right behind what the socket already holds, so
   * that a client that reads again soon gets 4000 rather than 1006. One that
   * reads nothing for CLOSE_TIMEOUT_MS is cut without it (see reliability.md).
   */
  private cutSlowConsumer(): void {
    this.log.warn({ userId: this.user.id }, 'slow consumer disconnected');
    this.metrics.slowConsumer();
    this.outgoing.discard();
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
      await this.tail;
      // Frames already in the socket's buffer are read in the next I/O phase, before setImmediate.
      await new Promise((resolve) => setImmediate(resolve));
      if (this.queued === 0) break;
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

  private write(data: string): void {
    if (!this.writable()) return;
    this.cork();
    if (!this.outgoing.push(ownTextFrame(data))) this.cutSlowConsumer();
  }

  /** A frame that many connections receive, built once (see SharedFrames), written as is. */
  sendShared(frame: Buffer): void {
    this.writeShared(frame);
  }

  /**
   * Not corked: a big room's members get their copy as the loop reaches them,
   * so the first (often the sender) are not held back by the last. A frame
   * after a reply of this turn joins that reply's write.
   */
  private writeShared(frame: Buffer): void {
    if (!this.writable()) return;
    if (!this.outgoing.push(frame)) this.cutSlowConsumer();
  }

  /** Whether a frame may go out now (open, not closing). */
  private writable(): boolean {
    return !this.closing && this.ws.readyState === WebSocket.OPEN;
  }

  /** Holds this turn's further frames to this connection for one write at the end of the turn. */
  private cork(): void {
    if (this.isCorked) return;
    this.isCorked = true;
    this.outgoing.cork();
    corked.push(this);
    if (!uncorkScheduled) {
      uncorkScheduled = true;
      setImmediate(uncorkAll);
    }
  }

  /** Ends this turn's cork (see `corked`). */
  uncork(): void {
    this.isCorked = false;
    this.outgoing.uncork();
  }

  // Input

  receive(data: RawData, isBinary: boolean): void {
    if (this.closing) return;
    const text = isBinary ? null : rawToString(data);
    this.run(() => (text === null ? this.refuseBinary() : this.handle(text)));
  }

  /**
   * Queues work behind the frames read so far: one thing at a time, in order.
   * Past MAX_QUEUED_FRAMES the socket stops being read until the queue drains.
   */
  run(task: () => Promise<void>): void {
    this.queued += 1;
    if (this.queued >= MAX_QUEUED_FRAMES && !this.paused) {
      this.paused = true;
      this.ws.pause();
    }
    this.tail = this.tail
      .then(task)
      .catch((err) => this.log.error({ err }, 'connection task failed'))
      .finally(() => {
        this.queued -= 1;
        if (this.paused && this.queued <= MAX_QUEUED_FRAMES / 4) {
          this.paused = false;
          this.ws.resume();
        }
      });
  }

  /** Waits for the frames read so far to be handled. */
  settled(): Promise<void> {
    return this.tail;
  }

  private async refuseBinary(): Promise<void> {
    this.sendError(new ChatError('invalid_request', 'Frames are JSON text, not binary.'));
  }

  private async handle(text: string): Promise<void> {
    if (this.closing) return;
    const parsed = parseText(text);
    let id: string | undefined;
    try {
      if (this.draining) {
        if (parsed.kind === 'object') id = frameId(parsed.value);
        throw new ChatError('shutting_down');
      }
      if (parsed.kind === 'object') {
        id = frameId(parsed.value);
        await this.handleInput(this, toClientFrame(parsed.value));
      } else if (this.mode === 'serve') {
        await this.handleInput(this, text);
      } else {
        throw new ChatError('invalid_request', 'A frame is one JSON object.');
      }
    } catch (err) {
      const error = toChatError(err);
      if (error.code === 'internal') this.log.error({ err }, 'frame failed');
      this.sendError(error, id);
    }
  }
}

function rawToString(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.isBuffer(data) ? data.toString('utf8') : Buffer.from(data).toString('utf8');
}
