import type { Delivered } from '../../core/connections/peer.js';
import { bareMessageFrames, messageFrames, type SharedFrames } from './shared-frames.js';

/**
 * How the two WebSocket routes differ, in one place. `/api/ws` speaks the
 * framed protocol; `/api/serve/:roomId` is for terminals (websocat and the
 * like): one room, joined at once, plain lines in, bare messages out.
 */
export interface Dialect {
  /** How a room message is written. */
  readonly messages: SharedFrames<Delivered>;
  /** Whether presence, typing, roles, new rooms and deleted rooms are sent (a terminal sees messages only). */
  readonly signals: boolean;
  /** Whether a text frame that is not a JSON object is a line for the room, rather than a bad frame. */
  readonly lines: boolean;
  /**
   * Whether the connection is its one room: removed from it, or the room
   * deleted, it closes with 4404 rather than being told; and closing it is
   * leaving the room.
   */
  readonly oneRoom: boolean;
}

/** `/api/ws`: the protocol of docs/protocol.md. */
export const FRAMED: Dialect = {
  messages: messageFrames,
  signals: true,
  lines: false,
  oneRoom: false,
};

/** `/api/serve/:roomId`: a terminal's connection to one room. */
export const TERMINAL: Dialect = {
  messages: bareMessageFrames,
  signals: false,
  lines: true,
  oneRoom: true,
};
