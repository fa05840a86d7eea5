import type { ChatMessage } from '../protocol/message.js';
import type { Room, User } from './domain.js';
import type { Notifier, NotifyClaims } from './ports/notifier.js';
import type { Presence } from './ports/presence.js';
import type { Store } from './ports/store.js';

export interface OfflineNotificationOptions {
  /** How long a member must stay away from a message before being told, in ms (NOTIFY_AFTER). */
  afterMs: number;
  /**
   * (user, room) pairs waiting on this node at most: each holds a little memory
   * until its check. Past it, new messages schedule nothing until checks run.
   */
  maxPending: number;
}

/**
 * Offline notification: a chat message in a private room (a direct room is
 * one) schedules, on the node that stored it, one check `afterMs` later of
 * the members who were offline when it was stored. Each who is still away,
 * has not connected since and has not read it is notified, once per room
 * until they read it or connect (a claim shared by every node, so two
 * messages stored on two nodes tell them once). Nothing here ever holds up
 * a send: the work runs after the message is stored, and failures are logged.
 */
export class OfflineNotifications {
  /**
   * (user, room) pairs with a check waiting, and whether the message it
   * checks names the user: a later message that does is checked too, for
   * members who are told of mentions only.
   */
  private readonly pending = new Map<string, 'plain' | 'mention'>();
  private readonly timers = new Set<ReturnType<typeof setTimeout>>();
  private closed = false;

  constructor(
    private readonly store: Store,
    private readonly presence: Presence,
    private readonly claims: NotifyClaims,
    private readonly notifier: Notifier,
    private readonly options: OfflineNotificationOptions,
    private readonly onError: (err: unknown) => void,
  ) {}

  /** A message was stored: schedules the check, in the background. */
  stored(message: ChatMessage): void {
    if (message.type !== 'chat' || this.closed) return;
    this.schedule(message).catch(this.onError);
  }

  /** The user read the room: a later message may notify them again. */
  read(userId: string, roomId: string): void {
    this.claims.release(userId, roomId).catch(this.onError);
  }

  /** The user connected: nothing sent before now notifies them, and every room may again later. */
  connected(userId: string): void {
    this.claims.connected(userId, Date.now()).catch(this.onError);
  }

  /** Drops the checks not yet run. */
  close(): void {
    this.closed = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.pending.clear();
  }

  private async schedule(message: ChatMessage): Promise<void> {
    const room = await this.store.getRoom(message.roomId);
    if (room?.visibility !== 'private') return;
    const members = (await this.store.members(room.id)).filter((m) => m.id !== message.memberId);
    const online = await this.presence.online(members.map((m) => m.id));
    const named = (m: User) => mentions(message.message, m.name);
    // A member already waiting for a check of this room is covered by that check
    // (unless this message names them and that one did not).
    const away = members.filter((m) => {
      const waiting = this.pending.get(key(m.id, room.id));
      return !online.has(m.id) && (waiting === undefined || (waiting === 'plain' && named(m)));
    });
    if (away.length === 0 || this.pending.size + away.length > this.options.maxPending) return;
    for (const member of away) {
      this.pending.set(key(member.id, room.id), named(member) ? 'mention' : 'plain');
    }
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.check(room, message, away).catch(this.onError);
    }, this.options.afterMs);
    timer.unref?.();
    this.timers.add(timer);
  }

  private async check(room: Room, message: ChatMessage, members: User[]): Promise<void> {
    for (const member of members) this.pending.delete(key(member.id, room.id));
    if (this.closed) return;
    const online = await this.presence.online(members.map((m) => m.id));
    const sentAt = Date.parse(message.sent);
    for (const member of members) {
      if (online.has(member.id)) continue;
      const seen = await this.claims.lastConnected(member.id);
      if (seen !== undefined && seen >= sentAt) continue;
      const summary = (await this.store.listRooms(member.id)).find((r) => r.roomId === room.id);
      // Gone from the room, or read up to this message since.
      if (!summary?.member || summary.lastSeq - summary.unread >= message.seq) continue;
      // The member's level in the room: none, or only messages that name them.
      if (summary.notify === 'none') continue;
      if (summary.notify === 'mentions' && !mentions(message.message, member.name)) continue;
      if (!(await this.claims.claim(member.id, room.id))) continue;
      this.notifier
        .notify({
          type: 'message.unread',
          user: { id: member.id, name: member.name },
          room: { roomId: room.id, roomName: room.name },
          message,
          unread: summary.unread,
        })
        .catch((err) => {
          // Not delivered: a later message may try again.
          this.onError(err);
          return this.claims.release(member.id, room.id);
        })
        .catch(this.onError);
    }
  }
}

/**
 * Whether `text` names `name` as `@name`, whatever its case: the `@` not
 * inside a word, the name not followed by more of a name (`@al` is not `@alice`).
 */
export function mentions(text: string, name: string): boolean {
  const lower = text.toLowerCase();
  const at = `@${name.toLowerCase()}`;
  for (let i = lower.indexOf(at); i >= 0; i = lower.indexOf(at, i + 1)) {
    const before = i === 0 ? '' : (lower[i - 1] as string);
    // "@alice." ends a sentence; "@alice.b" names someone else.
    const rest = lower.slice(i + at.length, i + at.length + 8);
    if (!/[\p{L}\p{N}_]/u.test(before) && !/^[.-]*[\p{L}\p{N}_]/u.test(rest)) return true;
  }
  return false;
}

function key(userId: string, roomId: string): string {
  return `${userId}\n${roomId}`;
}
