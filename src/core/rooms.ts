import type {
  ChatMessage,
  RoomDetail,
  RoomSummary,
  RoomView,
  Visibility,
} from '../protocol/message.js';
import type { Delivery } from './delivery/delivery.js';
import { ChatError } from './errors.js';
import { readableName } from './names.js';
import { notice } from './notices.js';
import type { Presence } from './ports/presence.js';
import type { HistoryQuery, Room, Store, User } from './ports/store.js';

export const ROOM_NAME_MAX = 80;

export interface NewRoom {
  name?: string | undefined;
  visibility?: Visibility | undefined;
}

/**
 * Rooms and who may see them. A private room is seen by its members only;
 * to anyone else it answers exactly like a room that does not exist.
 */
export class Rooms {
  constructor(
    private readonly store: Store,
    private readonly presence: Presence,
    private readonly delivery: Delivery,
  ) {}

  async create(creator: User | null, request: NewRoom): Promise<RoomView> {
    const visibility = request.visibility ?? 'public';
    if (!creator && visibility === 'private') {
      throw new ChatError('unauthorized', 'Sign in to create a private room.');
    }
    // Well-formed, so that the name read back from the store is the one given (see Chat.send).
    const name = request.name?.trim().toWellFormed() || readableName();
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
      );
      if (joined) this.delivery.publish(joined);
    }
    const view = toRoomView(room);
    if (visibility === 'public') this.delivery.announce(view);
    return view;
  }

  /** The room, if `user` may see it; otherwise ChatError('room_not_found'). */
  async visible(user: User | null, roomId: string): Promise<Room> {
    const room = await this.store.getRoom(roomId);
    if (!room) throw new ChatError('room_not_found');
    if (room.visibility === 'private' && !(user && (await this.store.isMember(roomId, user.id)))) {
      throw new ChatError('room_not_found');
    }
    return room;
  }

  async detail(user: User | null, roomId: string): Promise<RoomDetail> {
    const room = await this.visible(user, roomId);
    const members = await this.store.members(roomId);
    const online = await this.presence.online(members.map((m) => m.id));
    return {
      ...toRoomView(room),
      members: members.map((m) => ({ id: m.id, name: m.name, online: online.has(m.id) })),
    };
  }

  list(user: User | null): Promise<RoomSummary[]> {
    return this.store.listRooms(user?.id ?? null);
  }

  async history(user: User | null, roomId: string, query: HistoryQuery): Promise<ChatMessage[]> {
    await this.visible(user, roomId);
    return this.store.history(roomId, query);
  }

  /** A member of a private room brings someone in, by username. */
  async addMember(actor: User, roomId: string, username: string): Promise<void> {
    const room = await this.visible(actor, roomId);
    if (!(await this.store.isMember(roomId, actor.id))) throw new ChatError('not_member');
    const account = await this.store.findAccount(username);
    if (!account) throw new ChatError('user_not_found');
    const invitee: User = { id: account.id, name: account.name, guest: false };
    const change = await this.store.join(roomId, invitee, notice(roomId, invitee, 'joined'));
    if (change.notice) this.delivery.publish(change.notice);
    // The invitee's open connections learn of the room at once, private ones included.
    if (change.changed) this.delivery.announce(toRoomView(room), [invitee.id]);
  }
}

export function toRoomView(room: Room): RoomView {
  return { roomId: room.id, roomName: room.name, visibility: room.visibility };
}
