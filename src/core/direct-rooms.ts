import type { Contact, RoomView } from '../protocol/message.js';
import type { Delivery } from './delivery/delivery.js';
import type { User } from './domain.js';
import { ChatError } from './errors.js';
import type { Limits } from './limits.js';
import { findPerson, type PersonRef } from './people.js';
import type { Presence } from './ports/presence.js';
import type { ContactQuery, Store } from './ports/store.js';
import { directView } from './rooms.js';

/** Accounts a user search returns at most. */
export const USER_SEARCH_MAX = 20;
/** The shortest user search: a single letter would match a good part of everyone. */
export const USER_SEARCH_MIN = 2;

/**
 * Direct conversations: the one private room of two users, made on first
 * use; the caller's contacts ranked by their last message; and the search
 * by username to start a new one.
 */
export class DirectRooms {
  constructor(
    private readonly store: Store,
    private readonly presence: Presence,
    private readonly delivery: Delivery,
    private readonly limits: Limits,
  ) {}

  /**
   * Finds or makes the direct room of `caller` and the named user; refused
   * when either blocked the other. Making one counts against ROOM_CREATE_RATE
   * for `address`; finding one made before does not.
   */
  async open(caller: User, ref: PersonRef, address: string): Promise<RoomView> {
    const peer = await findPerson(this.store, ref);
    if (peer.id === caller.id) {
      throw new ChatError('invalid_request', 'A direct conversation is with someone else.');
    }
    if (await this.store.eitherBlocked(caller.id, peer.id)) throw new ChatError('blocked');
    const existing = await this.store.findDirect(caller.id, peer.id);
    if (!existing) await this.limits.checkRoomCreation(address);
    const id = crypto.randomUUID();
    const room = await this.store.openDirect(
      {
        id,
        name: `${caller.name} & ${peer.name}`,
        createdBy: caller.id,
        createdAt: new Date().toISOString(),
      },
      caller,
      peer,
    );
    if (room.id === id) {
      // Made now: both users' open connections hear of it, each named after the other.
      this.delivery.announce(directView(room, peer), [caller.id]);
      this.delivery.announce(directView(room, caller), [peer.id]);
    }
    return directView(room, peer);
  }

  /** The caller's direct conversations, latest message first. */
  async contacts(user: User, query: ContactQuery): Promise<Contact[]> {
    const rooms = await this.store.directRooms(user.id, query);
    const online = await this.presence.online(rooms.map((r) => r.peer.id));
    return rooms.map((r) => ({
      user: { id: r.peer.id, name: r.peer.name, online: online.has(r.peer.id) },
      roomId: r.roomId,
      lastActivity: r.lastActivity,
    }));
  }

  /** Accounts whose username starts with `q`, whatever its case, to start a conversation with. */
  async searchUsers(q: string): Promise<Array<{ id: string; name: string }>> {
    if (q.length < USER_SEARCH_MIN) {
      throw new ChatError('invalid_request', `q is at least ${USER_SEARCH_MIN} characters.`);
    }
    const users = await this.store.searchAccounts(q, USER_SEARCH_MAX);
    return users.map((u) => ({ id: u.id, name: u.name }));
  }
}
