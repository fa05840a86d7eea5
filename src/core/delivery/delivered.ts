import type { ChatMessage, UserView } from '../../protocol/message.js';
import type { RoomSignal } from './room-signal.js';

const encoder = new TextEncoder();

/**
 * A message on its way to this node's connections. Each wire form is encoded
 * once, on first use, and the same bytes go to every receiver.
 */
export class Delivered {
  private frameBytes: Uint8Array | undefined;
  private rawBytes: Uint8Array | undefined;

  constructor(readonly message: ChatMessage) {}

  /** `{"type":"message","data":…}`, the `/api/ws` frame. */
  get frame(): Uint8Array {
    this.frameBytes ??= encoder.encode(`{"type":"message","data":${JSON.stringify(this.message)}}`);
    return this.frameBytes;
  }

  /** The bare message object, the `/api/serve` frame. */
  get raw(): Uint8Array {
    this.rawBytes ??= encoder.encode(JSON.stringify(this.message));
    return this.rawBytes;
  }
}

/** A presence change in a batch: who, and whether they are now online in the room. */
export interface PresenceChange {
  user: UserView;
  online: boolean;
}

/**
 * A room signal on its way to this node's connections, encoded once:
 * `{"type":"presence",roomId,user,online}`, `{"type":"typing",roomId,user}`,
 * `{"type":"role",roomId,user,role}`, or, for a batch in a big room,
 * `{"type":"presences",roomId,changes:[{user,online}],more}`. A `left`
 * signal goes out as presence offline.
 */
export class DeliveredSignal {
  private bytes: Uint8Array | undefined;

  constructor(
    readonly roomId: string,
    /** Who the signal is about; a typing signal is not sent back to its author. */
    readonly user: UserView | undefined,
    readonly kind: 'presence' | 'typing' | 'presences' | 'role',
    private readonly body: () => Record<string, unknown>,
  ) {}

  static of(signal: RoomSignal): DeliveredSignal {
    const { roomId, user } = signal;
    if (signal.kind === 'typing') {
      return new DeliveredSignal(roomId, user, 'typing', () => ({ type: 'typing', roomId, user }));
    }
    if (signal.kind === 'role') {
      const { role } = signal;
      return new DeliveredSignal(roomId, user, 'role', () => ({
        type: 'role',
        roomId,
        user,
        role,
      }));
    }
    const online = signal.kind === 'presence' ? signal.online : false;
    return new DeliveredSignal(roomId, user, 'presence', () => ({
      type: 'presence',
      roomId,
      user,
      online,
    }));
  }

  /** `more`: changes left out of the list, counted only. */
  static batch(roomId: string, changes: PresenceChange[], more: number): DeliveredSignal {
    return new DeliveredSignal(roomId, undefined, 'presences', () => ({
      type: 'presences',
      roomId,
      changes,
      more,
    }));
  }

  get frame(): Uint8Array {
    this.bytes ??= encoder.encode(JSON.stringify(this.body()));
    return this.bytes;
  }
}
