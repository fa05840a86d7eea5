import { api } from '../api/endpoints.js';
import type { ChatMessage } from '../protocol.js';

/**
 * Edits, deletions, reactions and topics, over HTTP: each call settles with
 * the server's answer (or rejects with its ApiError, for the caller to show
 * where the user acted). The stored event is not applied from the answer: it
 * arrives on the socket in seq order like every message, which keeps the
 * timeline free of holes, and reaches the user's other tabs the same way.
 */
export class MessageActions {
  constructor(private readonly token: string) {}

  edit(message: ChatMessage, text: string): Promise<unknown> {
    return api.editMessage(this.token, message.roomId, message.id, text);
  }

  delete(message: ChatMessage): Promise<unknown> {
    return api.deleteMessage(this.token, message.roomId, message.id);
  }

  /** Adds `userId`'s reaction with `emoji`, or takes it back if they have made it. */
  toggleReaction(message: ChatMessage, emoji: string, userId: string): Promise<unknown> {
    const mine = message.reactions?.some(
      (r) => r.emoji === emoji && r.users.some((u) => u.id === userId),
    );
    return api.react(this.token, message.roomId, message.id, emoji, mine === true);
  }

  setTopic(roomId: string, topic: string): Promise<unknown> {
    return api.setTopic(this.token, roomId, topic);
  }
}
