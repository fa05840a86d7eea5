import type { UserView } from '../../protocol/message.js';

/**
 * Ephemeral room events: they carry no seq and are never stored. `left` is a
 * membership that ended without a stored notice (a big room, see
 * `noticesMaxMembers`): the user's other connections stop receiving the room.
 */
export type RoomSignal =
  | { kind: 'presence'; roomId: string; user: UserView; online: boolean }
  | { kind: 'typing'; roomId: string; user: UserView }
  | { kind: 'left'; roomId: string; user: UserView };
