import type { MessageType } from '../protocol/message.js';
import type { NewMessage, User } from './domain.js';
import { messageId } from './message-id.js';

/**
 * A system message about a member, such as "joined" or "left", ready to be
 * stored. With `by`, someone else brought it about: "bob was added by alice",
 * "bob was removed by alice".
 */
export function notice(roomId: string, user: User, type: MessageType, by?: User): NewMessage {
  const joined = type === 'joined';
  return {
    id: messageId(),
    roomId,
    memberId: user.id,
    memberName: user.name,
    type,
    message: by
      ? `${user.name} was ${joined ? 'added' : 'removed'} by ${by.name}`
      : `${user.name} ${joined ? 'joined' : 'left'} the room`,
    sent: new Date().toISOString(),
  };
}
