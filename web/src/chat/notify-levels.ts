import { api } from '../api/endpoints.js';
import type { NotifyLevel } from '../protocol.js';
import type { RoomList } from './room-list.js';

export type { NotifyLevel };

export const NOTIFY_LEVELS: readonly NotifyLevel[] = ['all', 'mentions', 'none'];

/** Where an earlier client kept the levels in this browser, before the server kept them. */
const LEGACY_KEY = 'confab.notify.';

/**
 * Each room's notification level (all, mentions, none), kept by the server
 * per member (`PUT /api/room/:roomId/notify`, `notify` in the room list), so
 * a choice follows the user to every device and governs the offline webhook
 * too. Rooms not set are `all`.
 */
export class NotifyLevels {
  constructor(
    private readonly token: string,
    private readonly roomList: RoomList,
  ) {}

  of(roomId: string): NotifyLevel {
    return this.roomList.find(roomId)?.notify ?? 'all';
  }

  /** Shown at once; put back, and the error thrown, if the server refuses it. */
  async set(roomId: string, level: NotifyLevel): Promise<void> {
    const was = this.of(roomId);
    this.roomList.setNotify(roomId, level);
    try {
      await api.setNotify(this.token, roomId, level);
    } catch (err) {
      this.roomList.setNotify(roomId, was);
      throw err;
    }
  }

  /** Sends the levels an earlier client kept in this browser to the server, once, then forgets them. */
  async moveLegacy(userId: string): Promise<void> {
    const key = `${LEGACY_KEY}${userId}`;
    let saved: unknown;
    try {
      saved = JSON.parse(localStorage.getItem(key) ?? 'null');
    } catch {
      saved = null;
    }
    if (typeof saved !== 'object' || saved === null) return;
    for (const [roomId, level] of Object.entries(saved)) {
      const room = this.roomList.find(roomId);
      if (!room?.member || room.notify || !NOTIFY_LEVELS.includes(level)) continue;
      await this.set(roomId, level).catch(() => undefined);
    }
    localStorage.removeItem(key);
  }
}
