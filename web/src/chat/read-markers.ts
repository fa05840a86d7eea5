import type { ChatSocket } from '../net/chat-socket.js';
import type { RoomList } from './room-list.js';
import type { RoomState } from './room-state.js';

/**
 * Tells the server how far the user has read a followed room (`read` with
 * its newest seq), which the room list's unread counts start from; never
 * twice for one seq, never backwards.
 */
export class ReadMarkers {
  constructor(
    private readonly socket: ChatSocket,
    private readonly roomList: RoomList,
    private readonly followed: (roomId: string) => boolean,
  ) {}

  /** The user has seen `state`'s room up to its newest message. */
  read(state: RoomState): void {
    if (!this.followed(state.roomId)) return;
    this.roomList.read(state.roomId);
    const seq = state.lastSeq;
    if (seq <= state.readSeq) return;
    if (this.socket.send({ type: 'read', roomId: state.roomId, seq })) state.readSeq = seq;
  }
}
