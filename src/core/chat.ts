import type { ChatMessage, ReplyQuote } from '../protocol/message.js';
import type { ContentRules } from './content-rules.js';
import type { Delivery } from './delivery/delivery.js';
import type { User } from './domain.js';
import { ChatError } from './errors.js';
import { KeyedLane } from './keyed-lane.js';
import type { Limits } from './limits.js';
import { messageId } from './message-id.js';
import { notice } from './notices.js';
import type { OfflineNotifications } from './offline-notifications.js';
import { peerOf } from './people.js';
import type { AppendResult, Store } from './ports/store.js';
import { mayLeave } from './roles.js';
import type { KnownRoom, Rooms } from './rooms.js';
import { storableText } from './storable-text.js';

/** What stands between a client and the room: count limits, content rules, and who to tell. */
export interface ChatGuards {
  limits: Limits;
  content: ContentRules;
  /** Undefined when offline notification is off. */
  notifications: OfflineNotifications | undefined;
}

/** The longest excerpt a reply shows of the message it answers (the store cuts the same). */
export const REPLY_EXCERPT_CHARS = 140;

export interface ChatLimits {
  /** Longest chat message, in characters (Unicode code points). */
  maxMessageChars: number;
  /**
   * Rooms with more members than this store no "joined"/"left" notices: in a
   * big room a notice per join would be a delivery to every member each time
   * (filling 5,000 seats: 12.5 million). Presence events, which carry no seq,
   * say who is there instead, so seqs stay gap-free.
   */
  noticesMaxMembers: number;
}

export interface LeaveOptions {
  /** The owner or an admin who removes the user (Groups checked that they may). */
  removedBy?: User | undefined;
  /** Runs once the leave is allowed, before it is stored: a connection stops receiving the room then. */
  onAllowed?: () => void;
}

export interface SendOptions {
  /** The sender's id for the message: a resend with the same one is not stored twice. */
  clientId?: string | undefined;
  /** The connection has joined the room: the user is a member, no look-up needed. */
  knownMember?: boolean;
  /**
   * Runs once the message is stored, before it is published: the sender's
   * ack then goes out ahead of its own copy.
   */
  onStored?: (result: AppendResult) => void;
  /** The id of the message this one answers (one more read, for replies only). */
  replyTo?: string | undefined;
}

/** Membership and messages: the rules of joining, leaving and speaking in a room. */
export class Chat {
  /**
   * A user's joins and leaves, on this node, are applied in the order they
   * arrived, whatever the connection: a tab's leave that is still being
   * stored must not land after another tab's later join, ending the
   * membership that tab just joined into (and losing what it then sends).
   */
  private readonly memberships = new KeyedLane();

  constructor(
    private readonly store: Store,
    private readonly rooms: Rooms,
    private readonly delivery: Delivery,
    private readonly guards: ChatGuards,
    private readonly limits: ChatLimits,
  ) {}

  /**
   * Makes `user` a member (storing a "joined" notice the first time, unless
   * the room is big). Becoming a member counts against JOIN_RATE; joining a
   * room one is in already (a reconnect) does not. Leaves are not counted:
   * each follows a join, so notices stay within twice the join rate, and
   * leaving always works.
   */
  join(user: User, roomId: string): Promise<void> {
    return this.memberships.run(user.id, () => this.joinNow(user, roomId));
  }

  private async joinNow(user: User, roomId: string): Promise<void> {
    const room = await this.rooms.known(user, roomId);
    // Only a public room is joined anew (a private one's members are added);
    // with JOIN_RATE off, nothing need ask whether this is a new membership.
    if (
      this.guards.limits.limitsJoins &&
      room.visibility === 'public' &&
      !(await this.store.isMember(roomId, user.id))
    ) {
      await this.guards.limits.checkJoin(user.id);
    }
    const change = await this.store.join(roomId, user, notice(roomId, user, 'joined'), {
      quietAbove: this.limits.noticesMaxMembers,
      selfJoin: true,
    });
    if (change.notice) this.delivery.publish(change.notice);
  }

  /**
   * Ends the membership, storing a "left" notice (in a big room, a `left`
   * signal instead: the user's other connections leave the room all the same);
   * leaving a room one is not in is a no-op. The owner cannot leave, nor
   * anyone a direct room (403 forbidden). With `removedBy`, the user is
   * removed (Groups checked who may), and the notice says so. `onAllowed`
   * runs once the leave is allowed, before it is stored.
   */
  leave(user: User, roomId: string, options: LeaveOptions = {}): Promise<void> {
    return this.memberships.run(user.id, () => this.leaveNow(user, roomId, options));
  }

  private async leaveNow(
    user: User,
    roomId: string,
    { removedBy, onAllowed }: LeaveOptions,
  ): Promise<void> {
    const room = await this.rooms.known(user, roomId);
    if (!removedBy) await this.refuseLeaving(user, room);
    onAllowed?.();
    const left = notice(roomId, user, 'left');
    if (removedBy) left.message = `${user.name} was removed by ${removedBy.name}`;
    const change = await this.store.leave(roomId, user, left, {
      quietAbove: this.limits.noticesMaxMembers,
    });
    const who = { id: user.id, name: user.name };
    // A removed user's connections are told who removed them, ahead of the notice.
    if (change.changed && removedBy) {
      this.delivery.removed(roomId, who, { id: removedBy.id, name: removedBy.name });
    }
    if (change.notice) this.delivery.publish(change.notice);
    else if (change.changed && !removedBy)
      this.delivery.signal({ kind: 'left', roomId, user: who });
  }

  /**
   * Refuses (403 forbidden) anyone's leaving a direct room, and the owner's
   * leaving: only a room's creator can be its owner, so nobody else's role is read.
   */
  private async refuseLeaving(user: User, room: KnownRoom): Promise<void> {
    const role = room.createdBy === user.id ? await this.store.role(room.id, user.id) : 'member';
    if (role && !mayLeave(room, role)) {
      throw new ChatError(
        'forbidden',
        room.kind === 'direct'
          ? 'Nobody leaves a direct conversation.'
          : 'The owner cannot leave the room.',
      );
    }
  }

  /**
   * Validates, stores, then publishes: nothing is acknowledged that is not stored.
   * See SendOptions for the sender's id, the connection's knowledge of the
   * membership, the ack's moment and replies.
   */
  async send(
    user: User,
    roomId: string,
    text: string,
    { clientId, knownMember = false, onStored, replyTo }: SendOptions = {},
  ): Promise<AppendResult> {
    if (text.trim().length === 0) throw new ChatError('invalid_request', 'The message is empty.');
    if (exceedsChars(text, this.limits.maxMessageChars)) {
      throw new ChatError(
        'message_too_long',
        `A message is at most ${this.limits.maxMessageChars} characters.`,
      );
    }
    if (!knownMember) await this.requireMember(user, roomId);
    const direct = await this.refuseBlocked(user, roomId);
    const answered = replyTo === undefined ? undefined : await this.answered(roomId, replyTo);
    const waitMs = await this.guards.limits.message(user.id);
    if (waitMs > 0) {
      // A resend of a stored message gets its first ack, limited or not (the contract). It is
      // not published again here, so that resends past the rate cost no bus traffic.
      const first = clientId && (await this.store.findSent(roomId, user.id, clientId));
      if (!first) throw new ChatError('rate_limited', undefined, waitMs);
      const resent = { message: first, duplicate: true };
      onStored?.(resent);
      return resent;
    }
    // Delivered as stored, on either engine (see storableText).
    const result = await this.store.append({
      id: messageId(),
      roomId,
      memberId: user.id,
      memberName: user.name,
      type: 'chat',
      message: this.guards.content.apply(storableText(text)),
      sent: new Date().toISOString(),
      clientId,
      ...(direct ? { direct } : {}),
      ...(answered ? { replyTo: answered.id } : {}),
    });
    if (answered && result.message.replyTo === answered.id) result.message.reply = quote(answered);
    onStored?.(result);
    // A resend's first copy goes out again: the first send may have been stored with its
    // answer lost (store_unavailable after the commit), and so never published. Feeds drop
    // what they have delivered.
    this.delivery.publish(result.message);
    if (!result.duplicate) this.guards.notifications?.stored(result.message);
    return result;
  }

  /**
   * Relays "typing"; over TYPING_RATE the frame is dropped quietly, and so it
   * is in a direct room under a block (it would reach the person who blocked).
   */
  async typing(user: User, roomId: string, knownMember: boolean): Promise<void> {
    if (!(await this.guards.limits.typingAllowed(user.id, roomId))) return;
    if (!knownMember) await this.requireMember(user, roomId);
    if ((await this.directBlock(user, roomId)) === 'blocked') return;
    this.delivery.signal({ kind: 'typing', roomId, user: { id: user.id, name: user.name } });
  }

  /**
   * Moves the read marker. Over READ_RATE nothing is written: resolves with
   * the ms until a marker may be (the caller writes its newest one then), else 0.
   */
  async markRead(user: User, roomId: string, seq: number, knownMember: boolean): Promise<number> {
    const waitMs = await this.guards.limits.read(user.id, roomId);
    if (waitMs > 0) return waitMs;
    if (!knownMember) await this.requireMember(user, roomId);
    await this.store.markRead(roomId, user.id, seq);
    this.guards.notifications?.read(user.id, roomId);
    return 0;
  }

  /**
   * In a direct room, a block either way stops every message (the pair is
   * cached: no look-up for other rooms). Says whether the room is direct.
   */
  private async refuseBlocked(user: User, roomId: string): Promise<boolean> {
    const state = await this.directBlock(user, roomId);
    if (state === 'blocked') throw new ChatError('blocked');
    return state === 'open';
  }

  /** Whether the room is direct and, if so, whether either of its two has blocked the other. */
  private async directBlock(user: User, roomId: string): Promise<'group' | 'open' | 'blocked'> {
    const pair = await this.rooms.directPair(roomId);
    if (!pair) return 'group';
    return (await this.store.eitherBlocked(user.id, peerOf(pair, user.id))) ? 'blocked' : 'open';
  }

  /** The message a reply answers: one events may name (message_not_found otherwise). */
  private async answered(roomId: string, messageId: string): Promise<ChatMessage> {
    const target = await this.store.getMessage(roomId, messageId);
    if (!target || target.deleted || !['chat', 'bot', 'failed'].includes(target.type)) {
      throw new ChatError('message_not_found', 'No such message to reply to in this room.');
    }
    return target;
  }

  /** Whether the user is a member of the room, as stored now. */
  isMember(user: User, roomId: string): Promise<boolean> {
    return this.store.isMember(roomId, user.id);
  }

  private async requireMember(user: User, roomId: string): Promise<void> {
    await this.rooms.known(user, roomId);
    if (!(await this.isMember(user, roomId))) throw new ChatError('not_member');
  }
}

/** What a reply shows of the message it answers, as it is now. */
export function quote(message: ChatMessage): ReplyQuote {
  return {
    seq: message.seq,
    memberId: message.memberId,
    memberName: message.memberName,
    excerpt: [...message.message].slice(0, REPLY_EXCERPT_CHARS).join(''),
  };
}

/** Counts code points, not UTF-16 units, and stops as soon as the limit is passed. */
export function exceedsChars(text: string, max: number): boolean {
  if (text.length <= max) return false;
  let count = 0;
  for (const _ of text) if (++count > max) return true;
  return false;
}
