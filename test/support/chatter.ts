import WebSocket from 'ws';

type Frame = Record<string, unknown> & { type: string };

export interface ChatterOptions {
  /** Where to (re)connect: called at each connection, so a caller may spread them over nodes. */
  wsUrl: () => string;
  token: string;
  roomId: string;
  /** Prefix of this chatter's client ids. */
  name: string;
  /** Stop after this many acked sends (a bound; `stop()` ends it sooner). */
  maxSends?: number;
  /** How long a reply may take before the send is tried again under its id (ms). */
  replyTimeoutMs?: number;
  /** A pause after each acked send (ms), to pace a long run; none by default. */
  intervalMs?: number;
}

/** Codes after which a client sends the same id again: nothing was stored, or the ack was lost. */
const RESEND_AFTER = new Set([
  'store_unavailable',
  'bus_unavailable',
  'shutting_down',
  'rate_limited',
]);

/**
 * One user chatting as a well-behaved client does: sends one message at a
 * time under its own client id, sends it again under the same id after a
 * retryable error, a lost reply or a lost connection, and reconnects after a
 * close and resumes the room with `since`. What it is shown is deduplicated
 * by seq, as a client must; `duplicates` counts frames it had to drop.
 */
export class Chatter {
  /** Client id to seq of every acked send. */
  readonly acked = new Map<string, number>();
  /** Error frames by code. */
  readonly errors = new Map<string, number>();
  /** Closes by code. */
  readonly closes = new Map<number, number>();
  /** Seq to client id ('' for none) of every message shown, each seq once. */
  readonly shown = new Map<number, string>();
  duplicates = 0;
  reconnects = 0;
  /** The seq the room had when this chatter first joined; it is shown everything after it. */
  from = 0;
  private ws: WebSocket | undefined;
  private readonly replies = new Map<string, (frame: Frame | undefined) => void>();
  private contiguous = 0;
  private stopped = false;
  private running: Promise<void> = Promise.resolve();
  private counter = 0;

  private constructor(private readonly options: ChatterOptions) {}

  /** Connects, joins, and starts chatting in the background. */
  static async start(options: ChatterOptions): Promise<Chatter> {
    const chatter = new Chatter(options);
    await chatter.connect(true);
    chatter.running = chatter.loop();
    return chatter;
  }

  /** Ends the sending loop after the send in flight has its answer, and waits for that. */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.running;
  }

  /** Resolves once every seq from `from + 1` to `lastSeq` has been shown. */
  async caughtUp(lastSeq: number, timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.contiguous < lastSeq) {
      if (Date.now() > deadline)
        throw new Error(`${this.options.name}: shown up to ${this.contiguous}, not ${lastSeq}`);
      if (this.ws?.readyState !== WebSocket.OPEN) await this.connect(false).catch(() => {});
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  close(): void {
    this.stopped = true;
    this.ws?.close();
  }

  /** Cuts the connection without a close handshake, as a network drop would; the chatter reconnects. */
  drop(): void {
    this.ws?.terminate();
  }

  private async loop(): Promise<void> {
    const max = this.options.maxSends ?? Number.POSITIVE_INFINITY;
    let sent = 0;
    while (!this.stopped && sent < max) {
      const id = `${this.options.name}-${sent + 1}`;
      const message = `${this.options.name} says ${sent + 1}`;
      for (;;) {
        if (this.ws?.readyState !== WebSocket.OPEN) {
          await this.reconnect();
          continue;
        }
        const reply = await this.request({
          type: 'send',
          roomId: this.options.roomId,
          message,
          id,
        });
        if (reply?.type === 'ack') {
          this.acked.set(id, reply.seq as number);
          break;
        }
        if (reply?.type === 'error' && !RESEND_AFTER.has(reply.code as string)) {
          throw new Error(`${id} refused for good: ${JSON.stringify(reply)}`);
        }
        // A retryable error, a lost reply or a lost connection: the same id again, a little later.
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      sent++;
      if (this.options.intervalMs)
        await new Promise((resolve) => setTimeout(resolve, this.options.intervalMs));
    }
  }

  private async reconnect(): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.connect(false);
        this.reconnects++;
        return;
      } catch {
        await new Promise((resolve) => setTimeout(resolve, Math.min(100 * attempt, 1_000)));
      }
    }
  }

  private connect(first: boolean): Promise<void> {
    const ws = new WebSocket(
      `${this.options.wsUrl()}/api/ws?token=${encodeURIComponent(this.options.token)}`,
    );
    this.ws = ws;
    ws.on('message', (data) => this.receive(JSON.parse(data.toString()) as Frame));
    ws.on('close', (code) => {
      this.closes.set(code, (this.closes.get(code) ?? 0) + 1);
      if (this.ws !== ws) return;
      for (const resolve of this.replies.values()) resolve(undefined);
      this.replies.clear();
    });
    ws.on('error', () => {});
    return new Promise<void>((resolve, reject) => {
      ws.once('open', async () => {
        const join = await this.request({
          type: 'join',
          roomId: this.options.roomId,
          ...(first ? {} : { since: this.contiguous }),
        });
        if (join?.type !== 'joined') {
          ws.close();
          reject(new Error(`join: ${JSON.stringify(join)}`));
          return;
        }
        if (first) {
          this.from = join.lastSeq as number;
          this.contiguous = this.from;
        }
        resolve();
      });
      ws.once('close', () => reject(new Error('closed while connecting')));
    });
  }

  private request(frame: Record<string, unknown>): Promise<Frame | undefined> {
    const id = (frame.id as string | undefined) ?? `${this.options.name}-r${++this.counter}`;
    const ws = this.ws;
    if (ws?.readyState !== WebSocket.OPEN) return Promise.resolve(undefined);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.replies.delete(id);
        resolve(undefined);
      }, this.options.replyTimeoutMs ?? 10_000);
      this.replies.set(id, (reply) => {
        clearTimeout(timer);
        resolve(reply);
      });
      ws.send(JSON.stringify({ ...frame, id }));
    });
  }

  private receive(frame: Frame): void {
    if (frame.type === 'message') {
      const data = frame.data as { roomId: string; seq: number; clientId?: string };
      if (data.roomId !== this.options.roomId || data.seq <= this.from) return;
      if (this.shown.has(data.seq)) {
        this.duplicates++;
      } else {
        this.shown.set(data.seq, data.clientId ?? '');
        while (this.shown.has(this.contiguous + 1)) this.contiguous++;
      }
      return;
    }
    if (frame.type === 'error') {
      const code = frame.code as string;
      this.errors.set(code, (this.errors.get(code) ?? 0) + 1);
    }
    const id = frame.id as string | undefined;
    const resolve = id === undefined ? undefined : this.replies.get(id);
    if (resolve) {
      this.replies.delete(id as string);
      resolve(frame);
    }
  }
}
