import type { ChatMessage, Role, RoomView, UserView } from '../../protocol/message.js';

/** What travels between nodes. Messages carry a seq; the other events are ephemeral. */
export type BusEvent =
  | { kind: 'message'; message: ChatMessage }
  | { kind: 'presence'; roomId: string; user: UserView; online: boolean }
  | { kind: 'typing'; roomId: string; user: UserView }
  /** A membership ended without a stored notice (a big room), or `by` a removal: the user's connections leave it. */
  | { kind: 'left'; roomId: string; user: UserView; by?: UserView }
  /** A member's role changed: every connection in the room hears it. */
  | { kind: 'role'; roomId: string; user: UserView; role: Role }
  /** A room to show: public ones to everyone; with `audience`, to those users only. */
  | { kind: 'room'; room: RoomView; audience?: string[] };

/** Topic names: one per room, and one for the directory of public rooms. */
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
