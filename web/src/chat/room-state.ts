import { signal } from '@preact/signals';
import { HISTORY_PAGE } from '../api/endpoints.js';
import type { ChatMessage, MemberView, Role } from '../protocol.js';
import { applyEvents } from './message-events.js';
import type { PendingMessage } from './pending.js';
import { mergeMessages } from './timeline.js';
import { TypingUsers } from './typing.js';

/** member: may send; visitor: reads a public room's history until joining; unknown: not asked yet. */
export type Membership = 'unknown' | 'member' | 'visitor';

export interface Problem {
  code: string;
  message: string;
}

/** What the message box is doing besides writing a new message: answering one, or editing one's own. */
export type Composing =
  | { kind: 'reply'; message: ChatMessage }
  | { kind: 'edit'; message: ChatMessage };

/**
 * Everything the client knows about one room. The timeline has no holes: it
 * grows at the bottom from the socket (contiguous by the server's promise)
 * and at the top from history pages that end just below its first message.
 */
export class RoomState {
  readonly messages = signal<readonly ChatMessage[]>([]);
  readonly pending = signal<readonly PendingMessage[]>([]);
  /** False once the first message of the room is in the timeline. */
  readonly hasOlder = signal(true);
  readonly loadingOlder = signal(false);
  readonly historyProblem = signal<Problem | null>(null);
  readonly members = signal<readonly MemberView[] | null>(null);
  readonly membership = signal<Membership>('unknown');
  /** The socket has joined the room on the current connection. */
  readonly live = signal(false);
  /** Why the room cannot be shown or joined. */
  readonly problem = signal<Problem | null>(null);
  readonly typing = new TypingUsers();
  /** What the user has typed and not sent: kept while they look at other rooms. */
  readonly draft = signal('');
  /** The seq of the first message unread when the room was opened, for the divider; null: none. */
  readonly unreadFrom = signal<number | null>(null);
  /** The message to answer or edit with the message box, if any. */
  readonly composing = signal<Composing | null>(null);
  /** A message to bring into view and mark (a search result, a reply's original), by seq. */
  readonly reveal = signal<number | null>(null);
  /** Commands sent from here that got no answer (`command_timeout`, `unknown_command`), by clientId. */
  readonly commandErrors = signal<ReadonlyMap<string, Problem>>(new Map());
  /**
   * The seq up to which nothing is missing at the bottom of the timeline:
   * the `since` of the next join. Null until a join reply or the newest page
   * says where the room stands.
   */
  headSeq: number | null = null;
  /** The highest seq this client has told the server it has read. */
  readSeq = 0;

  constructor(readonly roomId: string) {}

  get lastSeq(): number {
    return this.messages.value.at(-1)?.seq ?? 0;
  }

  /** The `before` bound of the next page of history, undefined for the newest page. */
  get olderBound(): number | undefined {
    const first = this.messages.value[0]?.seq;
    if (first !== undefined) return first;
    return this.headSeq === null ? undefined : this.headSeq + 1;
  }

  /**
   * Adds messages from the socket or a catch-up, applying the edits,
   * deletions and reactions among them; drops the pending copies they confirm.
   */
  add(incoming: readonly ChatMessage[]): void {
    this.messages.value = applyEvents(mergeMessages(this.messages.value, incoming), incoming);
    const newest = incoming.at(-1)?.seq ?? 0;
    if (this.headSeq !== null && newest > this.headSeq) this.headSeq = newest;
    this.settlePending(incoming);
    for (const message of incoming) {
      this.typing.stopped(message.memberId);
      this.updateMembers(message);
    }
  }

  /** A page of at most `limit` messages from `before` (undefined: the newest page). */
  addPage(page: readonly ChatMessage[], before: number | undefined, limit = HISTORY_PAGE): void {
    this.messages.value = applyEvents(mergeMessages(this.messages.value, page), page);
    const first = page[0]?.seq ?? before ?? 1;
    this.hasOlder.value = page.length >= limit && first > 1;
    if (before === undefined) this.headSeq = Math.max(this.headSeq ?? 0, page.at(-1)?.seq ?? 0);
    this.settlePending(page);
  }

  /** Forgets a visitor's preview, so that opening the room again shows it fresh. */
  resetPreview(): void {
    this.messages.value = [];
    this.hasOlder.value = true;
    this.headSeq = null;
    this.historyProblem.value = null;
    this.problem.value = null;
  }

  /** The loaded message with this id. */
  find(messageId: string): ChatMessage | undefined {
    return this.messages.value.find((m) => m.id === messageId);
  }

  updatePending(clientId: string, change: (p: PendingMessage) => PendingMessage): void {
    this.pending.value = this.pending.value.map((p) => (p.clientId === clientId ? change(p) : p));
  }

  removePending(clientId: string): void {
    this.pending.value = this.pending.value.filter((p) => p.clientId !== clientId);
  }

  /** Whether the timeline reaches down to `seq`'s page: true once its first message is at or below it. */
  covers(seq: number): boolean {
    const first = this.messages.value[0]?.seq;
    return !this.hasOlder.value || (first !== undefined && first <= seq);
  }

  setOnline(userId: string, name: string, online: boolean): void {
    const members = this.members.value;
    if (!members) return;
    if (members.some((m) => m.id === userId)) {
      this.members.value = members.map((m) => (m.id === userId ? { ...m, online } : m));
    } else if (online) {
      this.members.value = [...members, { id: userId, name, online, role: 'member' }];
    }
  }

  /** A member's new role, heard live: menus that depend on it follow at once. */
  setRole(userId: string, role: Role): void {
    const members = this.members.value;
    if (!members) return;
    this.members.value = members.map((m) => (m.id === userId ? { ...m, role } : m));
  }

  private settlePending(messages: readonly ChatMessage[]): void {
    if (this.pending.value.length === 0) return;
    const confirmed = new Set(messages.map((m) => m.clientId).filter(Boolean));
    if (confirmed.size === 0) return;
    this.pending.value = this.pending.value.filter((p) => !confirmed.has(p.clientId));
  }

  /** Joined and left notices keep the member list current between detail fetches. */
  private updateMembers(message: ChatMessage): void {
    const members = this.members.value;
    if (!members) return;
    if (message.type === 'joined' && !members.some((m) => m.id === message.memberId)) {
      this.members.value = [
        ...members,
        { id: message.memberId, name: message.memberName, online: true, role: 'member' },
      ];
    } else if (message.type === 'left') {
      this.members.value = members.filter((m) => m.id !== message.memberId);
    }
  }
}
