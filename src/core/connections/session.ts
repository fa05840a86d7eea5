import type { UserView } from '../../protocol/message.js';
import { toUserView } from '../accounts.js';
import type { RoomSubscription } from '../delivery/room-subscription.js';
import type { User } from '../domain.js';

/**
 * One open connection as the core keeps it: whose it is, the rooms it has
 * joined live (each a subscription to the room's feed) and, for a
 * terminal's connection, its one room. Connections changes it; the
 * transport reads it.
 */
export class Session {
  readonly id = crypto.randomUUID();
  readonly user: UserView;
  /** Set once the connection closed: a join still under way then is undone. */
  closed = false;
  /** Resolves true once presence has the connection and it made the user online (see Connections.open). */
  wentOnline: Promise<boolean> = Promise.resolve(false);
  /** The live subscriptions, by room. */
  readonly subscriptions = new Map<string, RoomSubscription>();

  constructor(
    readonly account: User,
    /** A terminal's one room (`/api/serve/:roomId`): closing the connection leaves it. */
    readonly room: string | undefined,
    /** Stores a tokenless guest's account; set until it has been stored. */
    private storeAccount: (() => Promise<void>) | undefined,
  ) {
    this.user = toUserView(account);
  }

  /** Whether the connection has joined the room live: the user is a member, no look-up needed. */
  joined(roomId: string): boolean {
    return this.subscriptions.has(roomId);
  }

  /** Rooms joined live. */
  get rooms(): number {
    return this.subscriptions.size;
  }

  /** The delivery layer ended the membership (a leave elsewhere, a removal): forgets the room; false if it was not joined. */
  forget(roomId: string): boolean {
    return this.subscriptions.delete(roomId);
  }

  /** Resolves once the account is stored: a guest's, before the connection's first lasting act. */
  async storedAccount(): Promise<void> {
    if (!this.storeAccount) return;
    await this.storeAccount();
    this.storeAccount = undefined;
  }
}
