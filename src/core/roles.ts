import type { Role, RoomKind, Visibility } from '../protocol/message.js';

/**
 * Who may manage a room's members: pure rules over roles. The owner (its
 * creator) cannot leave or be removed; the owner names admins; owner and
 * admins add to a private room and remove members; anyone else may leave.
 * Nobody is added to or removed from a direct room.
 */
export interface RoomFacts {
  kind: RoomKind;
  visibility: Visibility;
}

/** Whether a member with `role` may add someone. In a public room any member may. */
export function mayAdd(room: RoomFacts, role: Role): boolean {
  if (room.kind === 'direct') return false;
  return room.visibility === 'public' || role === 'owner' || role === 'admin';
}

/**
 * Whether `actor` may remove `target` (who is a member with `targetRole`).
 * Removing oneself is leaving. An admin removes plain members; the owner, anyone but itself.
 */
export function mayRemove(
  room: RoomFacts,
  actor: { id: string; role: Role },
  target: { id: string; role: Role },
): boolean {
  if (room.kind === 'direct' || target.role === 'owner') return false;
  if (actor.id === target.id) return true;
  if (actor.role === 'owner') return true;
  return actor.role === 'admin' && target.role === 'member';
}

/** Only the owner names or demotes admins; the owner's own role does not change. */
export function maySetRole(room: RoomFacts, actorRole: Role, targetRole: Role): boolean {
  return room.kind !== 'direct' && actorRole === 'owner' && targetRole !== 'owner';
}

/** Whether a member with `role` may leave: not the owner, and nobody leaves a direct room. */
export function mayLeave(room: RoomFacts, role: Role): boolean {
  return room.kind !== 'direct' && role !== 'owner';
}

/**
 * Whether a member with `role` may delete others' messages: the owner and
 * admins of a room (a direct room's two members only their own).
 */
export function mayDelete(room: RoomFacts, role: Role): boolean {
  return room.kind !== 'direct' && (role === 'owner' || role === 'admin');
}

/** Who sets the topic: the owner and admins; in a public or direct room, any member. */
export function maySetTopic(room: RoomFacts, role: Role): boolean {
  return (
    room.kind === 'direct' || room.visibility === 'public' || role === 'owner' || role === 'admin'
  );
}
