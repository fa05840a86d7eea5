import type { UserView } from '../../protocol/message.js';
import type { Delivered } from './delivered.js';

/** Ephemeral room events: they carry no seq and are never stored. */
export type RoomSignal =
  | { kind: 'presence'; roomId: string; user: UserView; online: boolean }
  | { kind: 'typing'; roomId: string; user: UserView };

/** One connection, as the delivery layer sees it. */
export interface Subscriber {
  readonly user: UserView;
  /** Sends one message; called in seq order, once per message. */
  message(delivered: Delivered): void;
  signal(signal: RoomSignal): void;
  /** The user left the room (from another connection, maybe another node). */
  removed(roomId: string): void;
  /** Resolves when the connection's send queue is short enough to take more history. */
  drained(): Promise<void>;
}
