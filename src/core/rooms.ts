import type {
  ChatMessage,
  NotifyLevel,
  RoomDetail,
  RoomSummary,
  RoomView,
  Visibility,
} from '../protocol/message.js';
import type { Delivery } from './delivery/delivery.js';
import type { Room, User } from './domain.js';
import { ChatError } from './errors.js';
import { readableName } from './names.js';
import { notice } from './notices.js';
import { ID_MAX_LENGTH, peerOf } from './people.js';
import type { Presence } from './ports/presence.js';
import type { HistoryQuery, Store } from './ports/store.js';
import { storableText } from './storable-text.js';

export const ROOM_NAME_MAX = 80;
/** Direct rooms looked up at most for one room list (the list itself is capped at 1,000). */
const DIRECT_LIST_MAX = 1_000;
/**
 * Rooms whose lasting facts this node remembers. A room's kind, visibility,
 * creator and pair never change, so the cache is never stale (a deleted
 * room is forgotten when every node hears of it, and until then the store
 * refuses what is written to it); bounded so that it cannot grow with the rooms.
 */
const FACTS_CACHE_MAX = 10_000;

/** What never changes about a room: enough to decide who may see it and what it is. */
export type KnownRoom = Pick<Room, 'id' | 'kind' | 'visibility' | 'createdBy' | 'pair'>;

export interface NewRoom {
  name?: string | undefined;
  visibility?: Visibility | undefined;
}

/**
 * Rooms and who may see them. A private room is seen by its members only;
 * to anyone else it answers exactly like a room that does not exist.
 */
export class Rooms {
  private readonly facts = new Map<string, KnownRoom>();

  constructor(
    private readonly store: Store,
    private readonly presence: Presence,
    private readonly delivery: Delivery,
  ) {
    delivery.onNotice((event) => {
      if (event.kind === 'roomDeleted') this.facts.delete(event.roomId);
    });
  }

  async create(creator: User | null, request: NewRoom): Promise<RoomView> {
    const visibility = request.visibility ?? 'public';
    if (!creator && visibility === 'private') {
      throw new ChatError('unauthorized', 'Sign in to create a private room.');
    }
    // Storable, so that the name read back from the store is the one given.
    const name = storableText(request.name?.trim() ?? '') || readableName();
    if (name.length > ROOM_NAME_MAX) {
      throw new ChatError('invalid_request', `A room name is at most ${ROOM_NAME_MAX} characters.`);
    }
    const room = await this.store.createRoom({
      id: crypto.randomUUID(),
      name,
      visibility,
      createdBy: creator?.id ?? null,
      createdAt: new Date().toISOString(),
    });
    if (creator) {
      const { notice: joined } = await this.store.join(
        room.id,
        creator,
        notice(room.id, creator, 'joined'),
        { role: 'owner' },
      );
      if (joined) this.delivery.publish(joined);
    }
    const view = toRoomView(room);
    // A private room is news to its creator's other tabs and devices only.
    if (visibility === 'public') this.delivery.announce(view);
    else if (creator) this.delivery.announce(view, [creator.id]);
    return view;
  }

  /** The room as stored now, if `user` may see it; otherwise ChatError('room_not_found'). */
  async visible(user: User | null, roomId: string): Promise<Room> {
    const room = roomId.length <= ID_MAX_LENGTH ? await this.store.getRoom(roomId) : undefined;
    if (!room) throw new ChatError('room_not_found');
    await this.refuseUnlessSeen(user, this.remember(room));
    return room;
  }

  /**
   * The room's lasting facts, if `user` may see it; otherwise
   * ChatError('room_not_found'). From this node's cache: a public room it has
   * seen costs no read, a private one the membership's.
   */
  async known(user: User | null, roomId: string): Promise<KnownRoom> {
    const room = await this.factsOf(roomId);
    if (!room) throw new ChatError('room_not_found');
    await this.refuseUnlessSeen(user, room);
    return room;
  }

  /** A direct room's pair of user ids; undefined for any other room (or none). */
  async directPair(roomId: string): Promise<[string, string] | undefined> {
    return (await this.factsOf(roomId))?.pair;
  }

  private async factsOf(roomId: string): Promise<KnownRoom | undefined> {
    const known = this.facts.get(roomId);
    if (known) return known;
    const room = roomId.length <= ID_MAX_LENGTH ? await this.store.getRoom(roomId) : undefined;
    return room && this.remember(room);
  }

  /** A private room is seen by its members only; to anyone else it does not exist. */
  private async refuseUnlessSeen(user: User | null, room: KnownRoom): Promise<void> {
    if (room.visibility === 'private' && !(user && (await this.store.isMember(room.id, user.id)))) {
      throw new ChatError('room_not_found');
    }
  }

  async detail(user: User | null, roomId: string): Promise<RoomDetail> {
    const room = await this.visible(user, roomId);
    const members = await this.store.roster(roomId);
    const online = await this.presence.online(members.map((m) => m.id));
    const view = user ? await this.viewFor(room, user) : toRoomView(room);
    return {
      ...view,
      kind: room.kind,
      ...(room.topic ? { topic: room.topic } : {}),
      members: members.map((m) => ({
        id: m.id,
        name: m.name,
        online: online.has(m.id),
        role: m.role,
      })),
    };
  }

  /** Public rooms and the caller's private ones; direct rooms say so, named after their peer. */
  async list(user: User | null): Promise<RoomSummary[]> {
    const summaries = await this.store.listRooms(user?.id ?? null);
    if (!user || !summaries.some((s) => s.visibility === 'private')) return summaries;
    const direct = await this.store.directRooms(user.id, { limit: DIRECT_LIST_MAX });
    const peers = new Map(direct.map((d) => [d.roomId, d.peer]));
    return summaries.map((summary) => {
      const peer = peers.get(summary.roomId);
      if (!peer) return summary;
      return {
        ...summary,
        roomName: peer.name,
        kind: 'direct' as const,
        peer: { id: peer.id, name: peer.name },
      };
    });
  }

  /** The room as `viewer` sees it: a direct room is named after the peer. */
  async viewFor(room: Room, viewer: User): Promise<RoomView> {
    if (!room.pair) return toRoomView(room);
    const peer = await this.store.getUser(peerOf(room.pair, viewer.id));
    return directView(room, peer ?? { id: peerOf(room.pair, viewer.id), name: room.name });
  }

  private remember(room: Room): KnownRoom {
    const known = this.facts.get(room.id);
    if (known) return known;
    if (this.facts.size >= FACTS_CACHE_MAX) this.facts.clear();
    const { id, kind, visibility, createdBy } = room;
    const facts: KnownRoom =
      kind === 'direct' && room.pair
        ? { id, kind, visibility, createdBy, pair: room.pair }
        : { id, kind, visibility, createdBy };
    this.facts.set(id, facts);
    return facts;
  }

  /** The member's notification level in the room (not_member for anyone else). */
  async setNotify(user: User, roomId: string, level: NotifyLevel): Promise<void> {
    await this.visible(user, roomId);
    if (!(await this.store.setNotify(roomId, user.id, level))) throw new ChatError('not_member');
  }

  async history(user: User | null, roomId: string, query: HistoryQuery): Promise<ChatMessage[]> {
    await this.visible(user, roomId);
    return this.store.history(roomId, query);
  }
}

export function toRoomView(room: Room): RoomView {
  return { roomId: room.id, roomName: room.name, visibility: room.visibility };
}

/** A direct room as one of its two members sees it. */
export function directView(room: Room, peer: { id: string; name: string }): RoomView {
  return {
    roomId: room.id,
    roomName: peer.name,
    visibility: 'private',
    kind: 'direct',
    peer: { id: peer.id, name: peer.name },
  };
}
