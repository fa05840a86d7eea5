import type { Role, UserView } from '../../protocol/message.js';

/**
 * Ephemeral room events: they carry no seq and are never stored. `left` is a
 * membership that ended without a stored notice (a big room, see
 * `noticesMaxMembers`), or a removal (`by` the owner or an admin): the
 * user's connections stop receiving the room. `role` is a member's new role.
 */
export type RoomSignal =
  | { kind: 'presence'; roomId: string; user: UserView; online: boolean }
  | { kind: 'typing'; roomId: string; user: UserView }
  | { kind: 'left'; roomId: string; user: UserView; by?: UserView }
  | { kind: 'role'; roomId: string; user: UserView; role: Role };
