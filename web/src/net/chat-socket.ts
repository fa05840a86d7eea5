import { signal } from '@preact/signals';
import { CLOSE, type ClientFrame, type ServerFrame, type UserView } from '../protocol.js';
import { backoffDelay } from './backoff.js';

export type ConnectionState =
  | { status: 'connecting'; attempt: number }
  | { status: 'online' }
  | { status: 'waiting'; attempt: number; retryAt: number; reason: string };

export interface SocketHandlers {
  /** The server said welcome: the connection is usable; (re)join rooms now. */
  online(user: UserView): void;
  frame(frame: ServerFrame): void;
  /** The token was refused (close 4401): reconnecting will not help. */
  unauthorized(): void;
}

/** How often an idle connection is checked, and how long the server has to answer. */
const PING_EVERY_MS = 20_000;
const PONG_WITHIN_MS = 10_000;

/**
 * The one WebSocket to `/api/ws`. It reconnects by itself after any close it
 * did not ask for, with jittered backoff capped at 5 s, except when the token
 * is refused. A connection that stops answering pings is dropped and replaced.
 */
export class ChatSocket {
  readonly state = signal<ConnectionState>({ status: 'connecting', attempt: 0 });
  private ws: WebSocket | null = null;
  private attempt = 0;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private pingTimer: ReturnType<typeof setInterval> | undefined;
  private pongTimer: ReturnType<typeof setTimeout> | undefined;
  private stopped = false;

  constructor(
    private readonly token: string,
    private readonly handlers: SocketHandlers,
  ) {
    window.addEventListener('online', this.retryNow);
    document.addEventListener('visibilitychange', this.onVisible);
  }

  start(): void {
    this.connect();
  }

  /** Closes for good (sign-out). */
  stop(): void {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    this.stopHeartbeat();
    window.removeEventListener('online', this.retryNow);
    document.removeEventListener('visibilitychange', this.onVisible);
    this.abandon(1000, 'signed out');
  }

  get isOnline(): boolean {
    return this.state.value.status === 'online';
  }

  /** Sends a frame if the connection is up; returns false (and sends nothing) if not. */
  send(frame: ClientFrame): boolean {
    if (!this.ws || this.ws.readyState !== WebSocket.OPEN || !this.isOnline) return false;
    this.ws.send(JSON.stringify(frame));
    return true;
  }

  /** Skips the rest of the backoff wait: the user asked, or the network came back. */
  retryNow = (): void => {
    if (this.stopped || this.state.value.status !== 'waiting') return;
    clearTimeout(this.retryTimer);
    this.connect();
  };

  private onVisible = (): void => {
    if (document.visibilityState === 'visible') this.retryNow();
  };

  private connect(): void {
    this.state.value = { status: 'connecting', attempt: this.attempt };
    const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
    const url = `${scheme}//${location.host}/api/ws?token=${encodeURIComponent(this.token)}`;
    const ws = new WebSocket(url);
    this.ws = ws;
    ws.onmessage = (event) => {
      if (this.ws !== ws) return;
      this.heard();
      const frame = parseFrame(event.data);
      if (!frame) return;
      if (frame.type === 'welcome') {
        this.attempt = 0;
        this.state.value = { status: 'online' };
        this.startHeartbeat();
        this.handlers.online(frame.user);
        return;
      }
      this.handlers.frame(frame);
    };
    ws.onclose = (event) => {
      if (this.ws !== ws) return;
      this.ws = null;
      this.closed(event.code);
    };
  }

  private closed(code: number): void {
    this.stopHeartbeat();
    if (this.stopped) return;
    if (code === CLOSE.unauthorized) {
      this.stopped = true;
      this.handlers.unauthorized();
      return;
    }
    this.scheduleRetry(reasonFor(code));
  }

  private scheduleRetry(reason: string): void {
    const wait = backoffDelay(this.attempt);
    this.attempt += 1;
    this.state.value = {
      status: 'waiting',
      attempt: this.attempt,
      retryAt: Date.now() + wait,
      reason,
    };
    this.retryTimer = setTimeout(() => this.connect(), wait);
  }

  /** Drops the current socket without waiting for a close handshake a dead link never finishes. */
  private abandon(code: number, reason: string): void {
    const ws = this.ws;
    this.ws = null;
    if (!ws) return;
    ws.onmessage = null;
    ws.onclose = null;
    try {
      ws.close(code, reason);
    } catch {
      // Already closed.
    }
  }

  private startHeartbeat(): void {
    this.stopHeartbeat();
    this.pingTimer = setInterval(() => {
      if (!this.send({ type: 'ping' })) return;
      this.pongTimer ??= setTimeout(() => {
        // No frame at all within the deadline: the link is dead even if the socket does not know.
        this.abandon(4000, 'no answer to ping');
        this.closed(1006);
      }, PONG_WITHIN_MS);
    }, PING_EVERY_MS);
  }

  private heard(): void {
    clearTimeout(this.pongTimer);
    this.pongTimer = undefined;
  }

  private stopHeartbeat(): void {
    clearInterval(this.pingTimer);
    this.heard();
  }
}

function parseFrame(data: unknown): ServerFrame | null {
  if (typeof data !== 'string') return null;
  try {
    const value = JSON.parse(data) as ServerFrame;
    return typeof value === 'object' && value !== null && typeof value.type === 'string'
      ? value
      : null;
  } catch {
    return null;
  }
}

function reasonFor(code: number): string {
  switch (code) {
    case CLOSE.goingAway:
    case 1001:
      return 'The server is restarting.';
    case CLOSE.slowConsumer:
      return 'The connection fell behind.';
    case CLOSE.tooManyConnections:
      return 'Too many open tabs or devices.';
    default:
      return 'The connection was lost.';
  }
}
