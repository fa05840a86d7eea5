import type { Accounts } from '../accounts.js';
import type { Chat } from '../chat.js';
import type { Delivery, DirectoryListener, NoticeListener } from '../delivery/delivery.js';
import type { User } from '../domain.js';
import { ChatError } from '../errors.js';
import type { OfflineNotifications } from '../offline-notifications.js';
import type { Presence } from '../ports/presence.js';
import type { Peer } from './peer.js';
import { Session } from './session.js';

export interface ConnectionRules {
  /** Rooms one connection may join live at once (ROOMS_PER_CONNECTION). */
  roomsPerConnection: number;
}

export interface OpenOptions {
  /** A tokenless guest, stored on its first join rather than for a connection that only looks. */
  unsavedGuest?: boolean | undefined;
  /** A terminal's one room (`/api/serve/:roomId`), which closing the connection leaves. */
  room?: string | undefined;
}

/**
 * A connection's life, in one place: it opens (the user is online), joins
 * rooms live (the membership, the room's messages from `since`, presence),
 * leaves them, and closes (its subscriptions end, a terminal's connection
 * leaves its room, the user goes offline with their last connection). The
 * transport calls these and writes what it is handed.
 */
export class Connections {
  constructor(
    private readonly chat: Chat,
    private readonly accounts: Accounts,
    private readonly delivery: Delivery,
    private readonly presence: Presence,
    private readonly notifications: OfflineNotifications | undefined,
    private readonly rules: ConnectionRules,
    /** Presence failures: logged, never a reason to refuse a connection. */
    private readonly onError: (err: unknown) => void,
  ) {}

  open(account: User, { unsavedGuest, room }: OpenOptions = {}): Session {
    const store = unsavedGuest ? () => this.accounts.saveGuest(account) : undefined;
    const session = new Session(account, room, store);
    this.notifications?.connected(account.id);
    session.wentOnline = this.presence.connected(account.id, session.id).catch((err) => {
      this.onError(err);
      return false;
    });
    return session;
  }

  /**
   * Makes the user a member and subscribes `peer` to the room: with `since`,
   * what it missed first. `onJoined` runs with the room's last seq before any
   * message of the room reaches `peer`. Joining a room again re-subscribes.
   */
  async join(
    session: Session,
    peer: Peer,
    roomId: string,
    since: number | undefined,
    onJoined: (lastSeq: number) => void,
  ): Promise<void> {
    const previous = session.subscriptions.get(roomId);
    if (!previous && session.rooms >= this.rules.roomsPerConnection) {
      throw new ChatError(
        'too_many_rooms',
        `A connection may join at most ${this.rules.roomsPerConnection} rooms.`,
      );
    }
    const removal = this.delivery.watchRemovals(roomId, session.user.id);
    try {
      // A membership lasts, and lists its member by name: a tokenless guest is stored first.
      await session.storedAccount();
      await this.chat.join(session.account, roomId);
      if (previous) {
        this.delivery.unsubscribe(previous);
        session.subscriptions.delete(roomId);
      }
      // Removed after the membership was checked, the user would be subscribed by nobody's leave:
      // unless this node's feed heard nothing, the store says, before anything reaches the peer.
      const verify = () =>
        removal.heard() ? this.chat.isMember(session.account, roomId) : Promise.resolve(true);
      const subscription = await this.delivery.subscribe(roomId, peer, since, onJoined, verify);
      if (session.closed) {
        this.delivery.unsubscribe(subscription);
        return;
      }
      session.subscriptions.set(roomId, subscription);
    } finally {
      removal.end();
    }
    this.delivery.signal({ kind: 'presence', roomId, user: session.user, online: true });
  }

  /** Ends the membership; a refused leave (the owner's, or of a direct room) keeps the room joined. */
  async leave(session: Session, roomId: string): Promise<void> {
    await this.chat.leave(session.account, roomId, {
      onAllowed: () => this.unsubscribe(session, roomId),
    });
  }

  /** The room was deleted: the connection stops hearing it. False when it had not joined it. */
  roomDeleted(session: Session, roomId: string): boolean {
    return this.unsubscribe(session, roomId);
  }

  /**
   * The connection closed: its subscriptions end at once; once `settled` (the
   * frames it sent, handled), a terminal's connection leaves its room, and
   * the user goes offline in the rooms it had joined if it was their last.
   */
  async close(session: Session, settled: Promise<void>): Promise<void> {
    session.closed = true;
    const rooms = [...session.subscriptions.keys()];
    for (const roomId of rooms) this.unsubscribe(session, roomId);
    await settled;
    await session.wentOnline;
    if (session.room !== undefined && rooms.includes(session.room)) {
      // On /api/serve, closing the connection is leaving the room; the owner stays.
      await this.chat.leave(session.account, session.room).catch((err) => {
        if (!(err instanceof ChatError && err.code === 'forbidden')) throw err;
      });
    }
    if (await this.presence.disconnected(session.user.id, session.id)) {
      for (const roomId of rooms) {
        this.delivery.signal({ kind: 'presence', roomId, user: session.user, online: false });
      }
    }
  }

  /** New rooms to show, from any node (see Delivery.onDirectory). */
  onDirectory(listener: DirectoryListener): () => void {
    return this.delivery.onDirectory(listener);
  }

  /** Ended sessions and deleted rooms, from any node (see Delivery.onNotice). */
  onNotice(listener: NoticeListener): () => void {
    return this.delivery.onNotice(listener);
  }

  private unsubscribe(session: Session, roomId: string): boolean {
    const subscription = session.subscriptions.get(roomId);
    if (!subscription) return false;
    this.delivery.unsubscribe(subscription);
    session.subscriptions.delete(roomId);
    return true;
  }
}
