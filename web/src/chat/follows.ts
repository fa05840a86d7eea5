import { batch } from '@preact/signals';
import { api } from '../api/endpoints.js';
import type { ChatSocket } from '../net/chat-socket.js';
import { MembershipCache } from './membership-cache.js';
import type { Requests } from './requests.js';
import type { RoomList } from './room-list.js';
import type { RoomState } from './room-state.js';

/** The server lets one connection join 100 rooms; leave headroom for the room being opened. */
const MAX_FOLLOWED = 90;

/**
 * The rooms the user is a member of are "followed": joined on the socket,
 * and joined again with `since` (the newest seq held) after every
 * reconnect, so the server replays exactly what was missed.
 */
export class Follows {
  private readonly followed = new Set<string>();
  private readonly memberships: MembershipCache;

  constructor(
    private readonly userId: string,
    private readonly token: string,
    private readonly socket: ChatSocket,
    private readonly requests: Requests,
    private readonly roomList: RoomList,
    private readonly room: (roomId: string) => RoomState,
    private readonly isOpen: (roomId: string) => boolean,
  ) {
    this.memberships = new MembershipCache(userId);
  }

  has(roomId: string): boolean {
    return this.followed.has(roomId);
  }

  follow(roomId: string): void {
    if (this.followed.has(roomId)) return;
    if (this.followed.size >= MAX_FOLLOWED && !this.isOpen(roomId)) return;
    this.followed.add(roomId);
    this.memberships.add(roomId);
    if (this.socket.isOnline) this.sendJoin(roomId);
  }

  /** No longer a member: the room is only previewed from now on. */
  unfollow(roomId: string): void {
    this.followed.delete(roomId);
    this.memberships.delete(roomId);
    const state = this.room(roomId);
    batch(() => {
      state.live.value = false;
      state.membership.value = 'visitor';
    });
  }

  /** A join was refused: stop following; a room that is gone is forgotten. */
  refused(roomId: string, code: string): void {
    this.followed.delete(roomId);
    if (code === 'room_not_found') this.memberships.delete(roomId);
  }

  /** After a reconnect: every followed room is joined again, with `since`. */
  rejoinAll(): void {
    for (const roomId of this.followed) this.sendJoin(roomId);
  }

  /** Follows the rooms of the list that are the user's. */
  async followMemberRooms(): Promise<void> {
    const checks = this.roomList.rooms.value.map(async (room) => {
      if (room.member === false) return;
      // A private room in the list is one of ours; a public one only if we remember joining it.
      const mine = room.member === true || room.visibility === 'private';
      if (mine) return this.follow(room.roomId);
      if (!this.memberships.has(room.roomId)) return;
      const detail = await api.room(this.token, room.roomId).catch(() => null);
      if (detail?.members.some((m) => m.id === this.userId)) this.follow(room.roomId);
      else if (detail) this.memberships.delete(room.roomId);
    });
    await Promise.all(checks);
  }

  /** Joins on the socket, with `since` when the room's bottom edge is known. */
  sendJoin(roomId: string): void {
    const state = this.room(roomId);
    const since = state.headSeq ?? undefined;
    const id = this.requests.add({ kind: 'join', roomId, since });
    const frame = { type: 'join' as const, id, roomId };
    if (!this.socket.send(since === undefined ? frame : { ...frame, since }))
      this.requests.drop(id);
  }
}
