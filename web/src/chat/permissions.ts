import type { RoomEntry } from '../api/endpoints.js';
import type { ChatMessage, Role } from '../protocol.js';

/** Who may do what to a message or a room, as docs/protocol.md says the server decides. */
export interface Viewer {
  id: string;
  /** The viewer's role in the room; undefined when not a member. */
  role: Role | undefined;
}

const ACTIONABLE = new Set(['chat', 'bot', 'failed']);

/** Replies and reactions go to any member's chat or bot message that is not deleted. */
export function mayAnswer(message: ChatMessage, viewer: Viewer): boolean {
  return viewer.role !== undefined && ACTIONABLE.has(message.type) && !message.deleted;
}

/** Only the author edits, and only a chat message. */
export function mayEdit(message: ChatMessage, viewer: Viewer): boolean {
  return (
    viewer.role !== undefined &&
    message.type === 'chat' &&
    message.memberId === viewer.id &&
    !message.deleted
  );
}

/** The author deletes their own; a group's owner and admins delete anyone's (not in a direct room). */
export function mayDelete(
  message: ChatMessage,
  viewer: Viewer,
  room: RoomEntry | undefined,
): boolean {
  if (!mayAnswer(message, viewer)) return false;
  if (message.type === 'chat' && message.memberId === viewer.id) return true;
  return room?.kind !== 'direct' && (viewer.role === 'owner' || viewer.role === 'admin');
}

/** The owner and admins set a topic; in a public room or a direct one, any member. */
export function maySetTopic(viewer: Viewer, room: RoomEntry | undefined): boolean {
  if (viewer.role === undefined) return false;
  if (viewer.role === 'owner' || viewer.role === 'admin') return true;
  return room?.visibility === 'public' || room?.kind === 'direct';
}
