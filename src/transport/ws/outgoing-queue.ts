import type { Duplex } from 'node:stream';

/**
 * Bytes handed to the socket at once when the queue catches up: enough for
 * one large write, small enough that a close frame written after them is not
 * held back by much more than the kernel's own buffers.
 */
const FLUSH_BYTES = 64 * 1024;

interface Waiter {
  readonly belowBytes: number;
  readonly resolve: () => void;
}

/**
 * What one connection has yet to receive, bounded. Frames go straight to the
 * socket while it keeps up; once the kernel stops taking them, they wait here
 * instead of in the socket's own buffer, which cannot be taken back. So a
 * slow consumer's backlog can be dropped at once when it is cut, and the close
 * frame that follows waits only behind the little the socket already holds.
 */
export class OutgoingQueue {
  private waiting: Buffer[] = [];
  private head = 0;
  private waitingBytes = 0;
  private corked = false;
  private waiters: Waiter[] = [];

  constructor(
    private readonly socket: Duplex,
    private readonly limitBytes: number,
  ) {}

  /** Bytes not yet taken by the kernel: those waiting here and those in the socket's buffer. */
  get pendingBytes(): number {
    return this.waitingBytes + this.socket.writableLength;
  }

  /**
   * Queues a whole frame; false, and nothing queued, when more than the limit
   * already waits (the caller then cuts the connection as too slow).
   */
  push(frame: Buffer): boolean {
    if (this.waitingBytes === 0 && (this.socket.writableLength === 0 || this.corked)) {
      this.socket.write(frame, this.written);
      return true;
    }
    if (this.pendingBytes > this.limitBytes) return false;
    this.waiting.push(frame);
    this.waitingBytes += frame.byteLength;
    return true;
  }

  /**
   * Holds this turn's frames for one write (see Connection's cork). They go
   * to the socket directly only if it was idle when the turn began.
   */
  cork(): void {
    this.corked = this.socket.writableLength === 0;
    this.socket.cork();
  }

  uncork(): void {
    this.corked = false;
    this.socket.uncork();
  }

  /** Hands everything waiting to the socket: before a close frame that must come after it. */
  flushAll(): void {
    this.flush(Number.POSITIVE_INFINITY);
  }

  /** Drops everything waiting (a slow consumer being cut, or a closed socket). */
  discard(): void {
    this.waiting = [];
    this.head = 0;
    this.waitingBytes = 0;
    this.wake(true);
  }

  /** Resolves once fewer than `bytes` are pending (at once if they are already). */
  whenBelow(bytes: number): Promise<void> {
    if (this.pendingBytes < bytes) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ belowBytes: bytes, resolve }));
  }

  /** A write reached the kernel: once the socket's buffer is empty, the next batch follows. */
  private readonly written = (): void => {
    if (this.socket.writableLength > 0 && !this.socket.destroyed) return;
    this.flush(FLUSH_BYTES);
    this.wake(this.socket.destroyed);
  };

  private flush(maxBytes: number): void {
    if (this.waitingBytes === 0 || this.socket.destroyed) return;
    let bytes = 0;
    this.socket.cork();
    while (this.head < this.waiting.length && bytes < maxBytes) {
      const frame = this.waiting[this.head] as Buffer;
      this.waiting[this.head++] = EMPTY;
      bytes += frame.byteLength;
      this.socket.write(frame, this.written);
    }
    if (this.head === this.waiting.length) {
      this.waiting = [];
      this.head = 0;
    } else if (this.head > 1024 && this.head * 2 > this.waiting.length) {
      this.waiting = this.waiting.slice(this.head);
      this.head = 0;
    }
    this.waitingBytes -= bytes;
    this.socket.uncork();
  }

  private wake(all: boolean): void {
    if (this.waiters.length === 0) return;
    const pending = this.pendingBytes;
    const still: Waiter[] = [];
    for (const waiter of this.waiters) {
      if (all || pending < waiter.belowBytes) waiter.resolve();
      else still.push(waiter);
    }
    this.waiters = still;
  }
}

const EMPTY = Buffer.alloc(0);
