import type { NotifyClaims } from '../../core/ports/notifier.js';

/** Users remembered at most; the oldest are forgotten first (they may then be told once more). */
const MAX_USERS = 100_000;

interface Entry {
  rooms: Set<string>;
  connectedAt: number | undefined;
}

/** The claims of one node, in memory. */
export class MemoryNotifyClaims implements NotifyClaims {
  private readonly users = new Map<string, Entry>();

  async claim(userId: string, roomId: string): Promise<boolean> {
    const entry = this.entry(userId);
    if (entry.rooms.has(roomId)) return false;
    entry.rooms.add(roomId);
    return true;
  }

  async release(userId: string, roomId: string): Promise<void> {
    this.users.get(userId)?.rooms.delete(roomId);
  }

  async connected(userId: string, at: number): Promise<void> {
    const entry = this.entry(userId);
    entry.rooms.clear();
    entry.connectedAt = at;
  }

  async lastConnected(userId: string): Promise<number | undefined> {
    return this.users.get(userId)?.connectedAt;
  }

  async close(): Promise<void> {
    this.users.clear();
  }

  /** The user's entry, moved to the newest end; the oldest goes when the map is full. */
  private entry(userId: string): Entry {
    const entry = this.users.get(userId) ?? { rooms: new Set<string>(), connectedAt: undefined };
    this.users.delete(userId);
    this.users.set(userId, entry);
    if (this.users.size > MAX_USERS) {
      const oldest = this.users.keys().next().value;
      if (oldest !== undefined) this.users.delete(oldest);
    }
    return entry;
  }
}
