import type { ChatSocket } from '../net/chat-socket.js';
import type { ChatMessage, ErrorBody } from '../protocol.js';
import { isHeld, newPending, type PendingMessage } from './pending.js';
import { quoteOf } from './reply-quote.js';
import type { RoomState } from './room-state.js';

/**
 * Messages on their way out. Each is shown at once as pending, sent with its
 * own random id, and sent again with the same id after a reconnect or when
 * the user retries, so the server stores it once. The server's echo (a
 * message carrying the same `clientId`) replaces it. Messages refused for
 * sending too fast are held and sent again, in order, when the server said
 * one would be accepted; a message written meanwhile waits behind them.
 */
/** Without a `retryAfterMs` from the server, held messages are tried again after this, in ms. */
const DEFAULT_RETRY_MS = 1_000;

export class Outbox {
  /** clientId → roomId, for every message not yet echoed. */
  private readonly inFlight = new Map<string, string>();
  /** roomId → the timer that sends that room's held messages again: one per room. */
  private readonly heldTimers = new Map<string, ReturnType<typeof setTimeout>>();

  constructor(
    private readonly socket: ChatSocket,
    private readonly room: (roomId: string) => RoomState,
  ) {}

  /** Sends `text`, as a reply to `replyTo` if given. */
  send(roomId: string, text: string, replyTo?: ChatMessage): void {
    const pending = newPending(
      roomId,
      text,
      replyTo && { id: replyTo.id, quote: quoteOf(replyTo) },
    );
    const state = this.room(roomId);
    // Behind a message held for sending too fast, a new one waits its turn:
    // sent now, it could be taken before the held one and overtake it.
    const held = state.pending.value.find(isHeld);
    const queued: PendingMessage = held
      ? { ...pending, status: 'failed', error: held.error }
      : pending;
    state.pending.value = [...state.pending.value, queued];
    this.inFlight.set(pending.clientId, roomId);
    if (!held) this.transmit(pending);
  }

  /** Sends a failed message again, with the same id. */
  retry(clientId: string): void {
    const roomId = this.inFlight.get(clientId);
    if (!roomId) return;
    const state = this.room(roomId);
    state.updatePending(clientId, ({ error: _, ...rest }) => ({ ...rest, status: 'sending' }));
    const pending = state.pending.value.find((p) => p.clientId === clientId);
    if (pending) this.transmit(pending);
  }

  discard(clientId: string): void {
    const roomId = this.inFlight.get(clientId);
    if (!roomId) return;
    this.inFlight.delete(clientId);
    this.room(roomId).removePending(clientId);
  }

  /** After a reconnect: everything still sending and not acknowledged goes out again. */
  resend(): void {
    for (const [clientId, roomId] of this.inFlight) {
      const pending = this.room(roomId).pending.value.find((p) => p.clientId === clientId);
      if (!pending) this.inFlight.delete(clientId);
      else if (pending.status === 'sending' && pending.seq === undefined) this.transmit(pending);
    }
  }

  /** The room of a message sent from here and not yet confirmed. */
  roomOf(clientId: string): string | undefined {
    return this.inFlight.get(clientId);
  }

  acked(clientId: string, seq: number): void {
    const roomId = this.inFlight.get(clientId);
    if (!roomId) return;
    const state = this.room(roomId);
    if (state.messages.value.some((m) => m.clientId === clientId)) {
      state.removePending(clientId);
      this.inFlight.delete(clientId);
    } else {
      state.updatePending(clientId, (p) => ({ ...p, seq }));
    }
  }

  /** An error frame for one of our sends: shown on the message, with a retry. Returns false if not ours. */
  failed(clientId: string, error: ErrorBody): boolean {
    const roomId = this.inFlight.get(clientId);
    if (!roomId) return false;
    const waitMs = error.retryAfterMs ?? DEFAULT_RETRY_MS;
    const retryAt = error.code === 'rate_limited' ? Date.now() + waitMs : undefined;
    this.room(roomId).updatePending(clientId, (p) => ({
      ...p,
      status: 'failed',
      error: {
        code: error.code,
        message: error.message,
        retryAfterMs: error.retryAfterMs,
        retryAt,
      },
    }));
    if (retryAt !== undefined && !this.heldTimers.has(roomId)) {
      this.heldTimers.set(
        roomId,
        setTimeout(() => this.sendHeld(roomId), waitMs),
      );
    }
    return true;
  }

  /** Sends a room's held messages again, oldest first; those refused again wait for the next turn. */
  sendHeld(roomId: string): void {
    clearTimeout(this.heldTimers.get(roomId));
    this.heldTimers.delete(roomId);
    for (const pending of this.room(roomId).pending.value) {
      if (isHeld(pending)) this.retry(pending.clientId);
    }
  }

  /** Stops the timers of held messages (signing out). */
  stop(): void {
    for (const timer of this.heldTimers.values()) clearTimeout(timer);
    this.heldTimers.clear();
  }

  private transmit(pending: PendingMessage): void {
    // Offline, it stays "sending" and goes out on reconnect.
    this.socket.send({
      type: 'send',
      id: pending.clientId,
      roomId: pending.roomId,
      message: pending.text,
      ...(pending.replyTo ? { replyTo: pending.replyTo.id } : {}),
    });
  }
}
