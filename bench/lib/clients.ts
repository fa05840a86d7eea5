import { io as ioClient, type Socket } from 'socket.io-client';
import WebSocket from 'ws';

/** How long any one reply may take before it counts as an error. */
export const REPLY_TIMEOUT_MS = 15_000;

/** A received room message, as the workloads see it. */
export type MessageListener = (roomId: string, text: string, clientId: string | undefined) => void;

export interface ConnectOptions {
  token?: string | undefined;
  /** Source address on the loopback (127.0.0.2 and so on): each has its own ephemeral ports. */
  localAddress?: string | undefined;
}

/** One benchmark connection; each call resolves when the server's reply is in. */
export interface BenchConnection {
  join(roomId: string): Promise<void>;
  leave(roomId: string): Promise<void>;
  /** Resolves once the sender's own copy (and, on Confab, the ack) has come back. */
  send(roomId: string, text: string, id: string): Promise<void>;
  /** Every room message this connection receives. */
  onMessage: MessageListener | undefined;
  /** Resolves when the connection is closed (or at once if it already is). */
  close(): Promise<void>;
  readonly closed: boolean;
}

export type Connector = (options: ConnectOptions) => Promise<BenchConnection>;

export class BenchError extends Error {
  constructor(
    readonly kind: string,
    message: string,
  ) {
    super(message);
  }
}

interface Pending {
  resolve: () => void;
  reject: (err: Error) => void;
  timer: ReturnType<typeof setTimeout>;
  /** Replies still awaited: 2 for a Confab send (ack and own message), else 1. */
  left: number;
}

/**
 * JSON frames over `ws`: Confab's `/api/ws` and the floor, which speaks a
 * subset of the same frames. `acks` says whether a send also waits for an
 * `ack` frame (Confab stores before it acks; the floor only echoes).
 */
class JsonWsConnection implements BenchConnection {
  onMessage: MessageListener | undefined;
  private readonly pending = new Map<string, Pending>();
  private counter = 0;
  private closedPromise: Promise<void>;
  closed = false;

  constructor(
    private readonly ws: WebSocket,
    private readonly acks: boolean,
  ) {
    ws.on('message', (data) => this.receive(data.toString()));
    this.closedPromise = new Promise((resolve) =>
      ws.once('close', (code) => {
        this.closed = true;
        this.failAll(new BenchError('closed', `connection closed (${code})`));
        resolve();
      }),
    );
    ws.on('error', (err) => this.failAll(new BenchError('socket', err.message)));
  }

  join(roomId: string): Promise<void> {
    const id = `j${++this.counter}`;
    return this.request(id, 1, `{"type":"join","id":"${id}","roomId":${JSON.stringify(roomId)}}`);
  }

  leave(roomId: string): Promise<void> {
    const id = `l${++this.counter}`;
    return this.request(id, 1, `{"type":"leave","id":"${id}","roomId":${JSON.stringify(roomId)}}`);
  }

  send(roomId: string, text: string, id: string): Promise<void> {
    return this.request(
      id,
      this.acks ? 2 : 1,
      JSON.stringify({ type: 'send', id, roomId, message: text }),
    );
  }

  close(): Promise<void> {
    if (!this.closed) this.ws.close();
    return this.closedPromise;
  }

  private request(id: string, replies: number, frame: string): Promise<void> {
    if (this.closed) return Promise.reject(new BenchError('closed', 'connection closed'));
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new BenchError('timeout', `no reply to ${id} within ${REPLY_TIMEOUT_MS} ms`));
      }, REPLY_TIMEOUT_MS);
      this.pending.set(id, { resolve, reject, timer, left: replies });
      this.ws.send(frame);
    });
  }

  private receive(text: string): void {
    const frame = JSON.parse(text) as {
      type: string;
      id?: string;
      code?: string;
      message?: string;
      data?: { roomId: string; message: string; clientId?: string };
    };
    switch (frame.type) {
      case 'message': {
        const data = frame.data;
        if (!data) return;
        this.onMessage?.(data.roomId, data.message, data.clientId);
        if (data.clientId !== undefined) this.settle(data.clientId);
        return;
      }
      case 'error': {
        const pending = frame.id === undefined ? undefined : this.pending.get(frame.id);
        const err = new BenchError(`error:${frame.code}`, `${frame.code}: ${frame.message}`);
        if (pending && frame.id !== undefined) {
          this.pending.delete(frame.id);
          clearTimeout(pending.timer);
          pending.reject(err);
        } else {
          this.failAll(err);
        }
        return;
      }
      case 'joined':
      case 'left':
      case 'ack':
        if (frame.id !== undefined) this.settle(frame.id);
        return;
    }
  }

  private settle(id: string): void {
    const pending = this.pending.get(id);
    if (!pending) return;
    pending.left -= 1;
    if (pending.left > 0) return;
    this.pending.delete(id);
    clearTimeout(pending.timer);
    pending.resolve();
  }

  private failAll(err: Error): void {
    for (const [id, pending] of this.pending) {
      this.pending.delete(id);
      clearTimeout(pending.timer);
      pending.reject(err);
    }
  }
}

function openWs(url: string, localAddress: string | undefined): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { perMessageDeflate: false, localAddress });
    const timer = setTimeout(() => {
      ws.terminate();
      reject(new BenchError('timeout', `no connection within ${REPLY_TIMEOUT_MS} ms`));
    }, REPLY_TIMEOUT_MS);
    ws.once('open', () => {
      clearTimeout(timer);
      resolve(ws);
    });
    ws.once('error', (err) => {
      clearTimeout(timer);
      reject(new BenchError('connect', err.message));
    });
    ws.once('unexpected-response', (_request, response) => {
      clearTimeout(timer);
      ws.terminate();
      reject(new BenchError('connect', `upgrade refused: ${response.statusCode}`));
    });
  });
}

/** Confab: `/api/ws?token=`, frames handled in order, so the join may follow the open at once. */
export function confabConnector(wsUrl: string): Connector {
  return async ({ token, localAddress }) => {
    const query = token ? `?token=${encodeURIComponent(token)}` : '';
    const ws = await openWs(`${wsUrl}/api/ws${query}`, localAddress);
    return new JsonWsConnection(ws, true);
  };
}

export function floorConnector(wsUrl: string): Connector {
  return async ({ localAddress }) => new JsonWsConnection(await openWs(wsUrl, localAddress), false);
}

class SocketIoConnection implements BenchConnection {
  onMessage: MessageListener | undefined;
  private readonly sends = new Map<string, Pending>();
  closed = false;
  private readonly closedPromise: Promise<void>;

  constructor(private readonly socket: Socket) {
    socket.on('message', (data: { roomId: string; message: string; clientId?: string }) => {
      this.onMessage?.(data.roomId, data.message, data.clientId);
      if (data.clientId === undefined) return;
      const pending = this.sends.get(data.clientId);
      if (!pending) return;
      this.sends.delete(data.clientId);
      clearTimeout(pending.timer);
      pending.resolve();
    });
    this.closedPromise = new Promise((resolve) =>
      socket.once('disconnect', (reason) => {
        this.closed = true;
        for (const [id, pending] of this.sends) {
          this.sends.delete(id);
          clearTimeout(pending.timer);
          pending.reject(new BenchError('closed', `disconnected: ${reason}`));
        }
        resolve();
      }),
    );
  }

  join(roomId: string): Promise<void> {
    return this.emitWithAck('join', roomId);
  }

  leave(roomId: string): Promise<void> {
    return this.emitWithAck('leave', roomId);
  }

  send(roomId: string, text: string, id: string): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.sends.delete(id);
        reject(new BenchError('timeout', `no echo of ${id} within ${REPLY_TIMEOUT_MS} ms`));
      }, REPLY_TIMEOUT_MS);
      this.sends.set(id, { resolve, reject, timer, left: 1 });
      this.socket.emit('send', { roomId, id, message: text });
    });
  }

  close(): Promise<void> {
    if (!this.closed) this.socket.disconnect();
    return this.closedPromise;
  }

  private async emitWithAck(event: string, roomId: string): Promise<void> {
    try {
      await this.socket.timeout(REPLY_TIMEOUT_MS).emitWithAck(event, roomId);
    } catch (err) {
      throw new BenchError('timeout', `${event}: ${(err as Error).message}`);
    }
  }
}

/** Socket.IO 4 over the WebSocket transport only, one engine per connection (no multiplexing). */
export function socketIoConnector(url: string): Connector {
  return ({ localAddress }) =>
    new Promise((resolve, reject) => {
      const socket = ioClient(url, {
        transports: ['websocket'],
        forceNew: true,
        reconnection: false,
        timeout: REPLY_TIMEOUT_MS,
        ...(localAddress ? { localAddress } : {}),
      } as unknown as Parameters<typeof ioClient>[1]);
      socket.once('connect', () => {
        socket.off('connect_error');
        resolve(new SocketIoConnection(socket));
      });
      socket.once('connect_error', (err) => {
        socket.disconnect();
        reject(new BenchError('connect', err.message));
      });
    });
}
