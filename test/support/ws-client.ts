import WebSocket from 'ws';

export type Frame = Record<string, unknown> & { type: string };

const DEFAULT_TIMEOUT_MS = 5_000;

/**
 * A test's WebSocket client: every frame it receives is kept in order, and
 * `next` waits (with a deadline, never a sleep) for the next one that matches.
 */
export class TestClient {
  readonly frames: Frame[] = [];
  /** Frames already returned by `next`; each frame is returned at most once. */
  private readonly taken = new Set<number>();
  private firstUntaken = 0;
  private waiters: Array<() => void> = [];
  private counter = 0;
  closeCode: number | undefined;
  readonly closed: Promise<number>;

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      this.frames.push(JSON.parse(data.toString()) as Frame);
      this.wake();
    });
    this.closed = new Promise((resolve) =>
      ws.on('close', (code) => {
        this.closeCode = code;
        this.wake();
        resolve(code);
      }),
    );
  }

  /** Opens `/api/ws` (or `path`) with an optional token, and waits until the socket is open. */
  static async connect(
    baseUrl: string,
    options: { token?: string; path?: string; header?: boolean } = {},
  ): Promise<TestClient> {
    const path = options.path ?? '/api/ws';
    const query =
      options.token && !options.header ? `?token=${encodeURIComponent(options.token)}` : '';
    const headers =
      options.token && options.header ? { authorization: `Bearer ${options.token}` } : undefined;
    const ws = new WebSocket(`${baseUrl}${path}${query}`, { headers });
    const client = new TestClient(ws);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    return client;
  }

  send(frame: Record<string, unknown> | string): void {
    this.ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
  }

  /** Sends a frame with a fresh `id` and waits for the reply that carries it. */
  async request(frame: Record<string, unknown>, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<Frame> {
    const id = (frame.id as string | undefined) ?? `r-${++this.counter}`;
    this.send({ ...frame, id });
    return this.next((f) => f.id === id, timeoutMs);
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
        this.taken.add(i);
        while (this.taken.has(this.firstUntaken)) this.taken.delete(this.firstUntaken++);
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
    if (this.closeCode === undefined) this.ws.close();
    return this.closed;
  }

  private wake(): void {
    for (const waiter of this.waiters.splice(0)) waiter();
  }
}
