/**
 * Frames read ahead of the handler at most; past it the socket stops being
 * read (backpressure), so a client that sends faster than its frames are
 * handled waits in its own TCP buffers, not in the server's memory.
 */
export const MAX_QUEUED_FRAMES = 64;

/** What the queue needs of the socket: to stop reading it, and to read again. */
export interface Readable {
  pause(): void;
  resume(): void;
}

const SETTLED: Promise<void> = Promise.resolve();

/**
 * A connection's inbound work, one task at a time, in arrival order: a `send`
 * right after a `join` sees the join done. A task that fails is reported to
 * `onError` and the next one runs.
 */
export class InboundQueue {
  private tail: Promise<void> = SETTLED;
  private queued = 0;
  private paused = false;

  constructor(
    private readonly socket: Readable,
    private readonly onError: (err: unknown) => void,
  ) {}

  /** Tasks waiting or running. */
  get size(): number {
    return this.queued;
  }

  /** Queues work behind the tasks so far; at MAX_QUEUED_FRAMES, stops reading until a quarter is left. */
  run(task: () => Promise<void>): void {
    this.queued += 1;
    if (this.queued >= MAX_QUEUED_FRAMES && !this.paused) {
      this.paused = true;
      this.socket.pause();
    }
    this.tail = this.tail
      .then(task)
      .catch(this.onError)
      .finally(() => {
        this.queued -= 1;
        if (this.paused && this.queued <= MAX_QUEUED_FRAMES / 4) {
          this.paused = false;
          this.socket.resume();
        }
      });
  }

  /** Resolves once the tasks queued so far are done. */
  settled(): Promise<void> {
    return this.tail;
  }
}
