import type { ServerFrame } from '../../protocol/frames.js';
import type { ChatMessage, UserView } from '../../protocol/message.js';
import type { RoomSignal } from '../domain.js';

/**
 * A message on its way to this node's connections: one object per fan-out,
 * handed to every receiver, so that the transport encodes it once (keyed by
 * this object) and writes the same bytes to each.
 */
export class Delivered {
  constructor(readonly message: ChatMessage) {}
}

/** The frames a room signal goes out as; like `Delivered`, one object for all receivers. */
export type SignalFrame = Extract<
  ServerFrame,
  { type: 'presence' | 'typing' | 'role' | 'presences' }
>;

/** A presence change in a batch: who, and whether they are now online in the room. */
export interface PresenceChange {
  user: UserView;
  online: boolean;
}

/** The frame of a signal; a `left` signal goes out as presence offline. */
export function signalFrame(signal: RoomSignal): SignalFrame {
  const { roomId, user } = signal;
  switch (signal.kind) {
    case 'typing':
      return { type: 'typing', roomId, user };
    case 'role':
      return { type: 'role', roomId, user, role: signal.role };
    case 'presence':
      return { type: 'presence', roomId, user, online: signal.online };
    case 'left':
      return { type: 'presence', roomId, user, online: false };
  }
}

/** A big room's presence changes in one frame; `more`: changes left out of the list, counted only. */
export function presenceBatch(
  roomId: string,
  changes: PresenceChange[],
  more: number,
): SignalFrame {
  return { type: 'presences', roomId, changes, more };
}
