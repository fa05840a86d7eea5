import type { MessageType } from '../protocol/message.js';
import type { NewMessage, User } from './ports/store.js';

/** A system message about a member, such as "joined" or "left", ready to be stored. */
export function notice(roomId: string, user: User, type: MessageType): NewMessage {
  return {
    id: crypto.randomUUID(),
    roomId,
    memberId: user.id,
    memberName: user.name,
    type,
    message: `${user.name} ${type === 'joined' ? 'joined' : 'left'} the room`,
    sent: new Date().toISOString(),
  };
}
