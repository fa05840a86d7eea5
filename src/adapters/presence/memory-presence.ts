import type { Presence } from '../../core/ports/presence.js';

/** Who is online on a single node: each user's open connection ids. */
export class MemoryPresence implements Presence {
  private readonly connections = new Map<string, Set<string>>();

  async connected(userId: string, connectionId: string): Promise<boolean> {
    const mine = this.connections.get(userId);
    if (mine) {
      mine.add(connectionId);
      return false;
    }
    this.connections.set(userId, new Set([connectionId]));
    return true;
  }

  async disconnected(userId: string, connectionId: string): Promise<boolean> {
    const mine = this.connections.get(userId);
    if (!mine?.delete(connectionId) || mine.size > 0) return false;
    this.connections.delete(userId);
    return true;
  }

  async online(userIds: readonly string[]): Promise<Set<string>> {
    return new Set(userIds.filter((id) => this.connections.has(id)));
  }

  async close(): Promise<void> {
    this.connections.clear();
  }
}
