import { io as ioClient, type Socket } from 'socket.io-client';
import { ClientError, ConfabClient, type RequestOptions } from '../../clients/confab-client.js';

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
  join(roomId: string): Promise<unknown>;
  leave(roomId: string): Promise<unknown>;
  /** Resolves once the sender's own copy (and, on Confab, the ack) has come back. */
  send(roomId: string, text: string, id: string): Promise<unknown>;
  /** Every room message this connection receives. */
  onMessage: MessageListener | undefined;
  /** Resolves when the connection is closed (or at once if it already is). */
  close(): Promise<unknown>;
  readonly closed: boolean;
}

export type Connector = (options: ConnectOptions) => Promise<BenchConnection>;

interface Pending {
  resolve: () => void;
  reject: (err: Error) => void;
  timer: ReturnType<typeof setTimeout>;
}

/**
 * Confab's client over `/api/ws`, and the floor, which speaks a subset of the
 * same frames. `acks` says whether a send also waits for an `ack` (Confab
 * stores before it acks; the floor only echoes).
 */
class JsonWsConnection implements BenchConnection {
  onMessage: MessageListener | undefined;
  private counter = 0;
  private readonly replies: RequestOptions = { timeoutMs: REPLY_TIMEOUT_MS };
  private readonly sends: RequestOptions;

  constructor(
    private readonly client: ConfabClient,
    acks: boolean,
  ) {
    this.sends = { timeoutMs: REPLY_TIMEOUT_MS, echo: acks ? true : 'only' };
    client.onFrame = (frame) => {
      if (frame.type === 'message') {
        const data = frame.data as { roomId: string; message: string; clientId?: string };
        this.onMessage?.(data.roomId, data.message, data.clientId);
      } else if (frame.type === 'error' && frame.id === undefined) {
        client.failPending(
          new ClientError(`error:${frame.code}`, `${frame.code}: ${frame.message}`),
        );
      }
    };
  }

  get closed(): boolean {
    return this.client.closeCode !== undefined;
  }

  join(roomId: string): Promise<unknown> {
    return this.client.request({ type: 'join', id: `j${++this.counter}`, roomId }, this.replies);
  }

  leave(roomId: string): Promise<unknown> {
    return this.client.request({ type: 'leave', id: `l${++this.counter}`, roomId }, this.replies);
  }

  send(roomId: string, text: string, id: string): Promise<unknown> {
    return this.client.request({ type: 'send', id, roomId, message: text }, this.sends);
  }

  close(): Promise<unknown> {
    return this.client.close();
  }
}

/** Confab: `/api/ws?token=`, frames handled in order, so the join may follow the open at once. */
export function confabConnector(wsUrl: string): Connector {
  return async ({ token, localAddress }) => {
    const client = await ConfabClient.connect(wsUrl, {
      token,
      localAddress,
      timeoutMs: REPLY_TIMEOUT_MS,
    });
    return new JsonWsConnection(client, true);
  };
}

export function floorConnector(wsUrl: string): Connector {
  return async ({ localAddress }) => {
    const client = await ConfabClient.connect(wsUrl, {
      path: '',
      localAddress,
      timeoutMs: REPLY_TIMEOUT_MS,
    });
    return new JsonWsConnection(client, false);
  };
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
          pending.reject(new ClientError('closed', `disconnected: ${reason}`));
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
        reject(new ClientError('timeout', `no echo of ${id} within ${REPLY_TIMEOUT_MS} ms`));
      }, REPLY_TIMEOUT_MS);
      this.sends.set(id, { resolve, reject, timer });
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
      throw new ClientError('timeout', `${event}: ${(err as Error).message}`);
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
        reject(new ClientError('connect', err.message));
      });
    });
}
