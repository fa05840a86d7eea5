/**
 * Who is online: a user is online while at least one of their connections is
 * open, on any node. Adapters that span nodes expire a crashed node's entries.
 */
export interface Presence {
  /** Records an open connection; resolves true when the user was offline before. */
  connected(userId: string, connectionId: string): Promise<boolean>;
  /** Forgets a connection; resolves true when that was the user's last one. */
  disconnected(userId: string, connectionId: string): Promise<boolean>;
  /** The subset of `userIds` that is online now. */
  online(userIds: readonly string[]): Promise<Set<string>>;
  close(): Promise<void>;
}
