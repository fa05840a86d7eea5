import type { ChatSocket } from '../net/chat-socket.js';
import type { ErrorBody } from '../protocol.js';
import { newPending, type PendingMessage } from './pending.js';
import type { RoomState } from './room-state.js';

/**
 * Messages on their way out. Each is shown at once as pending, sent with its
 * own random id, and sent again with the same id after a reconnect or when
 * the user retries, so the server stores it once. The server's echo (a
 * message carrying the same `clientId`) replaces it.
 */
export class Outbox {
  /** clientId → roomId, for every message not yet echoed. */
  private readonly inFlight = new Map<string, string>();

  constructor(
    private readonly socket: ChatSocket,
    private readonly room: (roomId: string) => RoomState,
  ) {}

  send(roomId: string, text: string): void {
    const pending = newPending(roomId, text);
    const state = this.room(roomId);
    state.pending.value = [...state.pending.value, pending];
    this.inFlight.set(pending.clientId, roomId);
    this.transmit(pending);
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
    this.room(roomId).updatePending(clientId, (p) => ({
      ...p,
      status: 'failed',
      error: { code: error.code, message: error.message, retryAfterMs: error.retryAfterMs },
    }));
    return true;
  }

  private transmit(pending: PendingMessage): void {
    // Offline, it stays "sending" and goes out on reconnect.
    this.socket.send({
      type: 'send',
      id: pending.clientId,
      roomId: pending.roomId,
      message: pending.text,
    });
  }
}
