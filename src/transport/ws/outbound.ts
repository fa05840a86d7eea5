import type { Duplex } from 'node:stream';
import { WebSocket } from 'ws';
import { OutgoingQueue } from './outgoing-queue.js';
import { ownTextFrame } from './shared-frames.js';
import type { Held, TurnBatch } from './turn-batch.js';

/**
 * Everything one connection writes, in order: its own replies, framed for it
 * alone and batched per turn (see TurnBatch), and shared frames, built once
 * for all their receivers. It all goes through a bounded queue (see
 * OutgoingQueue); a client that lets more than `limitBytes` wait is a slow
 * consumer, and `onOverflow` cuts it.
 */
export class Outbound implements Held {
  private readonly queue: OutgoingQueue;
  private held = false;
  private stopped = false;

  constructor(
    private readonly ws: WebSocket,
    socket: Duplex,
    private readonly limitBytes: number,
    private readonly batch: TurnBatch,
    private readonly onOverflow: () => void,
  ) {
    this.queue = new OutgoingQueue(socket, limitBytes);
  }

  /** A frame for this connection alone (a reply, an error): it joins this turn's write. */
  reply(text: string): void {
    if (!this.writable()) return;
    this.hold();
    this.push(ownTextFrame(text));
  }

  /**
   * A frame many connections receive. Not held: a big room's members get
   * their copy as the loop reaches them, so the first (often the sender) are
   * not held back by the last. A frame after a reply of this turn joins that
   * reply's write.
   */
  shared(frame: Buffer): void {
    if (this.writable()) this.push(frame);
  }

  /** Hands everything waiting to the socket, then writes nothing more (a close frame follows). */
  finish(): void {
    this.stopped = true;
    this.queue.flushAll();
  }

  /** Drops everything waiting and writes nothing more (a slow consumer cut, or a closed socket). */
  stop(): void {
    this.stopped = true;
    this.queue.discard();
  }

  /** Resolves once half the limit or less waits: history is sent page by page at that pace. */
  drained(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    return this.queue.whenBelow(this.limitBytes / 2);
  }

  /** Ends this turn's hold (called by the TurnBatch). */
  release(): void {
    this.held = false;
    this.queue.uncork();
  }

  private push(frame: Buffer): void {
    if (this.queue.push(frame)) return;
    this.stop();
    this.onOverflow();
  }

  /** Open and not closing: a frame written after the close frame would break the protocol. */
  private writable(): boolean {
    return !this.stopped && this.ws.readyState === WebSocket.OPEN;
  }

  private hold(): void {
    if (this.held) return;
    this.held = true;
    this.queue.cork();
    this.batch.add(this);
  }
}
