import type { UserView } from '../../protocol/message.js';
import type { Delivered, DeliveredSignal } from './delivered.js';

export type { RoomSignal } from './room-signal.js';

/** One connection, as the delivery layer sees it. */
export interface Subscriber {
  readonly user: UserView;
  /** Sends one message; called in seq order, once per message. */
  message(delivered: Delivered): void;
  /** Sends a room signal, encoded once for every receiver. */
  signal(signal: DeliveredSignal): void;
  /** The user left the room (from another connection, maybe another node). */
  removed(roomId: string): void;
  /** Resolves when the connection's send queue is short enough to take more history. */
  drained(): Promise<void>;
}
