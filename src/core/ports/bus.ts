import type { ChatMessage, RoomView } from '../../protocol/message.js';
import type { RoomSignal } from '../domain.js';

/** What travels between nodes. Messages carry a seq; the other events are ephemeral. */
export type BusEvent =
  | { kind: 'message'; message: ChatMessage }
  | RoomSignal
  /** A room to show: public ones to everyone; with `audience`, to those users only. */
  | { kind: 'room'; room: RoomView; audience?: string[] }
  /** The user's tokens are refused from now on: every node closes the user's connections. */
  | { kind: 'sessionsEnded'; userId: string; reason: SessionEndReason }
  /** The room is gone: every node tells its connections (all of them for a public room, else `audience` and those joined). */
  | { kind: 'roomDeleted'; roomId: string; audience?: string[] };

/** Why a user's sessions ended: a sign-out, an operator's ban, or an operator's password reset. */
export type SessionEndReason = 'signed_out' | 'banned' | 'password_reset';

/**
 * Tells every node that sessions ended or a room was deleted. The server's
 * Delivery implements it (failures logged); the admin command publishes directly.
 */
export interface NodeNotices {
  sessionsEnded(userId: string, reason: SessionEndReason): Promise<void>;
  roomDeleted(roomId: string, audience: string[] | undefined): Promise<void>;
}

/** Topic names: one per room, and one every node hears (the room directory, ended sessions, deleted rooms). */
export const topics = {
  room: (roomId: string) => `room:${roomId}`,
  directory: 'directory',
} as const;

export type BusHandler = (event: BusEvent) => void;

/**
 * Publish and subscribe across every node. Delivery is at most once and may
 * reorder events from different publishers: the delivery layer restores seq
 * order and fills gaps from the store. Every adapter passes test/contract/bus.contract.ts.
 */
export interface Bus {
  /** Rejects with ChatError('bus_unavailable') when the event could not be handed over. */
  publish(topic: string, event: BusEvent): Promise<void>;
  /** Resolves once events published after it will reach `handler`. */
  subscribe(topic: string, handler: BusHandler): Promise<Unsubscribe>;
  /**
   * Called after the bus recovered from an outage: events published meanwhile
   * may be lost, so listeners re-read what they keep from the store.
   */
  onReconnect(listener: () => void): void;
  ping(): Promise<void>;
  close(): Promise<void>;
}

export type Unsubscribe = () => Promise<void>;
