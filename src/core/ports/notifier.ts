import type { ChatMessage, UserView } from '../../protocol/message.js';

/** What an away member is told: the webhook body of the contract. */
export interface UnreadNotification {
  type: 'message.unread';
  user: UserView;
  room: { roomId: string; roomName: string };
  message: ChatMessage;
  /** The member's unread messages in the room when the notification was decided. */
  unread: number;
}

/** Tells a member who is away about a message (a webhook, later mail or push). */
export interface Notifier {
  /** Resolves once delivered; retries on its own, and rejects when it gives up. */
  notify(notification: UnreadNotification): Promise<void>;
}

/**
 * Who was told about which room, shared by every node: at most one
 * notification per user and room until the user reads the room or connects.
 */
export interface NotifyClaims {
  /** Marks (user, room) notified; resolves true for the one caller, on any node, that marked it. */
  claim(userId: string, roomId: string): Promise<boolean>;
  /** Lifts the mark: the user read the room, or the notification could not be delivered. */
  release(userId: string, roomId: string): Promise<void>;
  /** The user connected at `at` (ms since the epoch): every mark lifted. */
  connected(userId: string, at: number): Promise<void>;
  /** When the user last connected, if that is still remembered. */
  lastConnected(userId: string): Promise<number | undefined>;
  close(): Promise<void>;
}
