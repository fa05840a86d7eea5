import type { MessageType, Role, RoomKind, UserView, Visibility } from '../protocol/message.js';

/** The things the chat is about, as the core and its ports pass them around. */

export interface User {
  id: string;
  /** Display name: the username for accounts, a readable two-word name for guests. */
  name: string;
  guest: boolean;
}

export interface Room {
  id: string;
  name: string;
  visibility: Visibility;
  createdBy: string | null;
  createdAt: string;
  lastSeq: number;
  kind: RoomKind;
  /** A direct room's two members' ids, sorted; absent on other rooms. */
  pair?: [string, string];
  topic?: string;
}

/** A message or event before the store gives it its seq. */
export interface NewMessage {
  id: string;
  roomId: string;
  memberId: string;
  memberName: string;
  type: MessageType;
  message: string;
  sent: string;
  clientId?: string;
  /** On a reply: the id of the message it answers. */
  replyTo?: string;
  /** On an event: the id of the message it changes. */
  targetId?: string;
  /** On a reaction event: the reaction is taken back. */
  removed?: boolean;
  /** Set on a direct room's messages: the pair's contacts move up with it, in the same transaction. */
  direct?: boolean;
}

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
