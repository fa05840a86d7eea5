import type WebSocket from 'ws';
import { ClientError, ConfabClient, type Frame } from '../../clients/confab-client.js';

export type { Frame };

const DEFAULT_TIMEOUT_MS = 5_000;

/**
 * A test's view of a ConfabClient: every frame it receives is kept in order,
 * and `next` waits (with a deadline, never a sleep) for the earliest one not
 * yet taken that matches. A request's reply is matched by id, and taken.
 */
export class TestClient {
  readonly frames: Frame[] = [];
  /** Frames already returned by `next` or `request`; each frame is returned at most once. */
  private readonly taken = new Set<number>();
  private readonly indexOf = new WeakMap<Frame, number>();
  private firstUntaken = 0;
  private waiters: Array<() => void> = [];

  private constructor(readonly client: ConfabClient) {
    client.onFrame = (frame) => {
      this.indexOf.set(frame, this.frames.length);
      this.frames.push(frame);
      this.wake();
    };
    client.closed.then(() => this.wake());
  }

  /** Opens `/api/ws` (or `path`) with an optional token, and waits until the socket is open. */
  static async connect(
    baseUrl: string,
    options: { token?: string; path?: string; header?: boolean } = {},
  ): Promise<TestClient> {
    const client = await ConfabClient.connect(baseUrl, {
      token: options.token,
      path: options.path,
      tokenInHeader: options.header,
    });
    return new TestClient(client);
  }

  get ws(): WebSocket {
    return this.client.ws;
  }

  get closeCode(): number | undefined {
    return this.client.closeCode;
  }

  get closed(): Promise<number> {
    return this.client.closed;
  }

  send(frame: Record<string, unknown> | string): void {
    this.client.send(frame as Frame | string);
  }

  /** Sends a frame with a fresh `id` and waits for the reply that carries it, an `error` included. */
  async request(frame: Record<string, unknown>, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<Frame> {
    let reply: Frame;
    try {
      reply = await this.client.request(frame as Frame, { timeoutMs });
    } catch (err) {
      if (!(err instanceof ClientError) || !err.frame)
        throw new Error(`${(err as Error).message}; got ${JSON.stringify(this.frames.slice(-5))}`);
      reply = err.frame;
    }
    this.take(this.indexOf.get(reply) as number);
    return reply;
  }

  /** The earliest frame not yet returned that matches, waiting for one if need be. */
  async next(
    match: (frame: Frame) => boolean = () => true,
    timeoutMs = DEFAULT_TIMEOUT_MS,
  ): Promise<Frame> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      for (let i = this.firstUntaken; i < this.frames.length; i++) {
        if (this.taken.has(i)) continue;
        const frame = this.frames[i] as Frame;
        if (!match(frame)) continue;
        this.take(i);
        return frame;
      }
      if (this.closeCode !== undefined)
        throw new Error(`socket closed (${this.closeCode}) while waiting`);
      const left = deadline - Date.now();
      if (left <= 0)
        throw new Error(
          `no matching frame within ${timeoutMs} ms; got ${JSON.stringify(this.frames.slice(-5))}`,
        );
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** Waits for `count` message frames of `roomId` and returns their message objects. */
  async messages(
    roomId: string,
    count: number,
    timeoutMs = DEFAULT_TIMEOUT_MS,
  ): Promise<Array<Record<string, unknown>>> {
    const out: Array<Record<string, unknown>> = [];
    while (out.length < count) {
      const frame = await this.next(
        (f) => f.type === 'message' && (f.data as { roomId: string }).roomId === roomId,
        timeoutMs,
      );
      out.push(frame.data as Record<string, unknown>);
    }
    return out;
  }

  close(): Promise<number> {
    return this.client.close();
  }

  private take(index: number): void {
    this.taken.add(index);
    while (this.taken.has(this.firstUntaken)) this.taken.delete(this.firstUntaken++);
  }

  private wake(): void {
    for (const waiter of this.waiters.splice(0)) waiter();
  }
}
