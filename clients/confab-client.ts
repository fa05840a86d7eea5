import WebSocket from 'ws';

/**
 * A frame as it travels: one JSON object with a `type`. Loose on purpose:
 * tests send frames the server must refuse, and read fields of any frame.
 */
export type Frame = Record<string, unknown> & { type: string };

export interface ConnectOptions {
  /** `/api/ws` unless set, such as `/api/serve/<roomId>`. */
  path?: string | undefined;
  token?: string | undefined;
  /** Send the token as `Authorization: Bearer` instead of `?token=`. */
  tokenInHeader?: boolean | undefined;
  /** Source address on the loopback (127.0.0.2 and so on): each has its own ephemeral ports. */
  localAddress?: string | undefined;
  /** How long the upgrade may take, in ms; 15,000 unless set. */
  timeoutMs?: number | undefined;
}

export interface RequestOptions {
  /** How long the reply may take, in ms; 15,000 unless set. */
  timeoutMs?: number | undefined;
  /**
   * For a `send`: also wait for the sender's own copy, the `message` whose
   * `clientId` is the frame's `id` (it may come before the ack or after).
   * `'only'`: the own copy is the one reply (a server that does not ack,
   * such as the benchmark's floor).
   */
  echo?: boolean | 'only' | undefined;
}

/** Why a connect or a request failed: `kind` sorts failures (`error:<code>` for an error reply). */
export class ClientError extends Error {
  constructor(
    readonly kind: string,
    message: string,
    /** The error frame, when the server answered with one. */
    readonly frame?: Frame,
  ) {
    super(message);
  }
}

const DEFAULT_TIMEOUT_MS = 15_000;

interface Pending {
  resolve: (reply: Frame) => void;
  reject: (err: ClientError) => void;
  timer: ReturnType<typeof setTimeout>;
  needReply: boolean;
  needEcho: boolean;
  reply: Frame | undefined;
}

/**
 * One WebSocket connection speaking Confab's protocol (`/api/ws`, or
 * `/api/serve/<roomId>`): requests matched to their replies by `id` in a
 * map (never a scan of earlier frames), and every frame handed in order to
 * `onFrame`. Shared by the tests, the benchmark and the scripts.
 */
export class ConfabClient {
  /** The close code, once closed. */
  closeCode: number | undefined;
  /** Resolves with the close code. */
  readonly closed: Promise<number>;
  private readonly pending = new Map<string, Pending>();
  private counter = 0;
  private listener: ((frame: Frame) => void) | undefined;
  /** Frames that came before any listener (such as right after the upgrade), handed to the first. */
  private early: Frame[] | undefined = [];

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => this.receive(JSON.parse(data.toString()) as Frame));
    ws.on('error', (err) => this.failPending(new ClientError('socket', err.message)));
    this.closed = new Promise((resolve) =>
      ws.once('close', (code) => {
        this.closeCode = code;
        this.failPending(new ClientError('closed', `socket closed (${code}) while waiting`));
        resolve(code);
      }),
    );
  }

  /** Opens `baseUrl` + `/api/ws` (or `options.path`) and resolves once the socket is open. */
  static connect(baseUrl: string, options: ConnectOptions = {}): Promise<ConfabClient> {
    const { token, tokenInHeader } = options;
    const query = token && !tokenInHeader ? `?token=${encodeURIComponent(token)}` : '';
    const ws = new WebSocket(`${baseUrl}${options.path ?? '/api/ws'}${query}`, {
      perMessageDeflate: false,
      localAddress: options.localAddress,
      headers: token && tokenInHeader ? { authorization: `Bearer ${token}` } : undefined,
    });
    // Listening from the start: frames sent right after the upgrade are kept.
    const client = new ConfabClient(ws);
    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    return new Promise((resolve, reject) => {
      const fail = (err: ClientError) => {
        clearTimeout(timer);
        ws.terminate();
        reject(err);
      };
      const timer = setTimeout(
        () => fail(new ClientError('timeout', `no connection within ${timeoutMs} ms`)),
        timeoutMs,
      );
      ws.once('open', () => {
        clearTimeout(timer);
        resolve(client);
      });
      ws.once('error', (err) => fail(new ClientError('connect', err.message)));
      ws.once('unexpected-response', (_request, response) =>
        fail(new ClientError('connect', `upgrade refused: ${response.statusCode}`)),
      );
    });
  }

  /** Every frame received, in order, replies included; frames that came before it was set first. */
  set onFrame(listener: ((frame: Frame) => void) | undefined) {
    this.listener = listener;
    if (!listener || !this.early) return;
    const early = this.early;
    this.early = undefined;
    for (const frame of early) listener(frame);
  }

  get onFrame(): ((frame: Frame) => void) | undefined {
    return this.listener;
  }

  /** Sends a frame as it is, or a string as one text frame (the server may refuse either). */
  send(frame: Frame | string): void {
    this.ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
  }

  /**
   * Sends a frame (with a fresh `id` unless it has one) and resolves with
   * its reply; rejects with a ClientError on an `error` reply (`frame` holds
   * it), on timeout, or when the socket closes first.
   */
  request(frame: Frame, options: RequestOptions = {}): Promise<Frame> {
    const withId = typeof frame.id === 'string' ? frame : { ...frame, id: `r-${++this.counter}` };
    const id = withId.id as string;
    if (this.closeCode !== undefined)
      return Promise.reject(new ClientError('closed', `socket closed (${this.closeCode})`));
    // One awaiter per id: a second would take the first one's reply.
    if (this.pending.has(id))
      return Promise.reject(new ClientError('duplicate', `a request ${id} is already waiting`));
    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new ClientError('timeout', `no reply to ${id} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, {
        resolve,
        reject,
        timer,
        needReply: options.echo !== 'only',
        needEcho: options.echo !== undefined && options.echo !== false,
        reply: undefined,
      });
      this.ws.send(JSON.stringify(withId));
    });
  }

  /** Rejects every request still waiting, such as after an error no request can be matched to. */
  failPending(err: ClientError): void {
    for (const [id, pending] of this.pending) {
      this.pending.delete(id);
      clearTimeout(pending.timer);
      pending.reject(err);
    }
  }

  /** Closes the socket (if still open) and resolves with the close code. */
  close(): Promise<number> {
    if (this.closeCode === undefined) this.ws.close();
    return this.closed;
  }

  private receive(frame: Frame): void {
    if (this.listener) this.listener(frame);
    else this.early?.push(frame);
    // Only replies carry a top-level id; a send's own copy carries it as data.clientId.
    if (typeof frame.id === 'string') {
      const pending = this.pending.get(frame.id);
      if (pending?.needReply) this.answer(frame.id, pending, frame);
    } else if (frame.type === 'message') {
      const clientId = (frame.data as { clientId?: unknown } | undefined)?.clientId;
      if (typeof clientId !== 'string') return;
      const pending = this.pending.get(clientId);
      if (!pending?.needEcho) return;
      pending.needEcho = false;
      if (!pending.needReply) this.settle(clientId, pending, pending.reply ?? frame);
    }
  }

  private answer(id: string, pending: Pending, reply: Frame): void {
    if (reply.type === 'error') {
      this.pending.delete(id);
      clearTimeout(pending.timer);
      pending.reject(
        new ClientError(`error:${reply.code}`, `${reply.code}: ${reply.message}`, reply),
      );
      return;
    }
    pending.needReply = false;
    pending.reply = reply;
    if (!pending.needEcho) this.settle(id, pending, reply);
  }

  private settle(id: string, pending: Pending, reply: Frame): void {
    this.pending.delete(id);
    clearTimeout(pending.timer);
    pending.resolve(reply);
  }
}
