import type { UserView } from '../../protocol/message.js';
import type { Delivered, SignalFrame } from './delivered.js';

/** One connection, as the delivery layer sees it. */
export interface Subscriber {
  readonly user: UserView;
  /** Sends one message; called in seq order, once per message. */
  message(delivered: Delivered): void;
  /** Sends a room signal; the same frame object goes to every receiver, to be encoded once. */
  signal(frame: SignalFrame): void;
  /** The user's membership ended (`by` someone, for a removal): nothing more of the room follows. */
  removed(roomId: string, by?: UserView): void;
  /** Resolves when the connection's send queue is short enough to take more history. */
  drained(): Promise<void>;
}
