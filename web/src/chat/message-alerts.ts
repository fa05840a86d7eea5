import type { ChatMessage, UserView } from '../protocol.js';
import { mentionedNames, parseMarkdown, plainText } from '../text/markdown.js';
import { isMe } from '../text/mentions.js';
import type { Notifier } from './notifier.js';
import type { NotifyLevels } from './notify-levels.js';
import type { RoomList } from './room-list.js';
import type { RoomState } from './room-state.js';

/**
 * Desktop notifications for new messages: chat and bot messages from others,
 * as the room's notification level allows (all, only those naming the user,
 * none). The Notifier shows them only while the tab is hidden.
 */
export class MessageAlerts {
  constructor(
    private readonly me: UserView,
    private readonly notifier: Notifier,
    private readonly levels: NotifyLevels,
    private readonly roomList: RoomList,
    private readonly room: (roomId: string) => RoomState,
    private readonly open: (roomId: string) => void,
  ) {}

  /** A new message heard live. */
  heard(message: ChatMessage): void {
    if (message.memberId === this.me.id) return;
    if (message.type !== 'chat' && message.type !== 'bot') return;
    if (!this.allows(message)) return;
    const room = this.roomList.find(message.roomId);
    this.notifier.notify(
      message.roomId,
      room ? room.roomName : 'Confab',
      `${message.memberName}: ${plainText(parseMarkdown(message.message))}`,
      () => this.open(message.roomId),
    );
  }

  /** Whether a message mentions this user by name (`@name`, outside code). */
  mentionsMe(message: ChatMessage): boolean {
    const names = this.room(message.roomId).members.value?.map((m) => m.name) ?? [];
    const nodes = parseMarkdown(message.message, names);
    return mentionedNames(nodes).some((name) => isMe(name, this.me.name));
  }

  private allows(message: ChatMessage): boolean {
    const level = this.levels.of(message.roomId);
    if (level !== 'mentions') return level === 'all';
    return this.mentionsMe(message);
  }
}
