import type { ChatMessage, MessageType, SearchPage } from '../protocol/message.js';
import type { ChatGuards, ChatLimits } from './chat.js';
import { exceedsChars } from './chat.js';
import type { Delivery } from './delivery/delivery.js';
import type { NewMessage, Room, User } from './domain.js';
import { ChatError } from './errors.js';
import { messageId } from './message-id.js';
import { peerOf } from './people.js';
import type { AppendResult, Store } from './ports/store.js';
import { mayDelete, maySetTopic } from './roles.js';
import type { Rooms } from './rooms.js';
import { storableText } from './storable-text.js';

/** Different emoji one message may carry. */
export const MAX_EMOJIS = 20;
/** An emoji's longest form, in code points (a family with its joiners is 7). */
export const EMOJI_MAX_CHARS = 16;
export const TOPIC_MAX_CHARS = 300;
export const SEARCH_LIMIT_DEFAULT = 20;
export const SEARCH_LIMIT_MAX = 50;
export const SEARCH_QUERY_MAX_CHARS = 200;
/** Words of a query used at most: a longer query only narrows what is found. */
const SEARCH_WORDS_MAX = 10;
/** The types an edit, a deletion, a reaction or a reply may name. */
const ACTIONABLE: ReadonlySet<MessageType> = new Set(['chat', 'bot', 'failed']);

/** A reaction that changed nothing (already there, or not there to take back): nothing stored. */
export interface Unchanged {
  unchanged: ChatMessage;
}

export interface SearchRequest {
  q: string;
  roomId?: string | undefined;
  before?: string | undefined;
  limit: number;
}

/**
 * What members do to messages once sent: edit, delete, react, and set the
 * room's topic. Each is an event, stored and sequenced like a message (see
 * Store.appendEvent), then published like one. Counted against the message
 * rate; a resend of a frame's id gets its first answer.
 */
export class Actions {
  constructor(
    private readonly store: Store,
    private readonly rooms: Rooms,
    private readonly delivery: Delivery,
    private readonly guards: ChatGuards,
    private readonly limits: ChatLimits,
  ) {}

  /** One's own chat message gets a new text, under the rules of a sent one. */
  edit(
    user: User,
    roomId: string,
    messageId: string,
    text: string,
    clientId: string | undefined,
  ): Promise<AppendResult> {
    return this.resendable(user, roomId, clientId, () =>
      this.editNow(user, roomId, messageId, text, clientId),
    );
  }

  /** One's own message; the owner's and admins', any. Its text goes for good. */
  delete(
    user: User,
    roomId: string,
    messageId: string,
    clientId: string | undefined,
  ): Promise<AppendResult> {
    return this.resendable(user, roomId, clientId, () =>
      this.deleteNow(user, roomId, messageId, clientId),
    );
  }

  /** Adds the user's reaction, or takes it back; a change that changes nothing stores nothing. */
  react(
    user: User,
    roomId: string,
    messageId: string,
    emoji: string,
    remove: boolean,
    clientId: string | undefined,
  ): Promise<AppendResult | Unchanged> {
    return this.resendable(user, roomId, clientId, () =>
      this.reactNow(user, roomId, messageId, emoji, remove, clientId),
    );
  }

  private async editNow(
    user: User,
    roomId: string,
    messageId: string,
    text: string,
    clientId: string | undefined,
  ): Promise<AppendResult> {
    const checked = checkText(text, this.limits.maxMessageChars);
    const { room } = await this.member(user, roomId);
    const target = await this.target(roomId, messageId);
    if (target.type !== 'chat' || target.memberId !== user.id) {
      throw new ChatError('forbidden', 'Only its author may edit a message.');
    }
    await this.refuseBlocked(user, room);
    const body = this.guards.content.apply(checked);
    return this.append(
      user,
      { type: 'edit', roomId, message: body, targetId: target.id },
      clientId,
    );
  }

  private async deleteNow(
    user: User,
    roomId: string,
    messageId: string,
    clientId: string | undefined,
  ): Promise<AppendResult> {
    const { room, role } = await this.member(user, roomId);
    const target = await this.target(roomId, messageId);
    const own = target.type === 'chat' && target.memberId === user.id;
    if (!own && !mayDelete(room, role)) {
      throw new ChatError('forbidden', "Only the room's owner and admins delete others' messages.");
    }
    return this.append(
      user,
      { type: 'delete', roomId, message: '', targetId: target.id },
      clientId,
    );
  }

  private async reactNow(
    user: User,
    roomId: string,
    messageId: string,
    emoji: string,
    remove: boolean,
    clientId: string | undefined,
  ): Promise<AppendResult | Unchanged> {
    checkEmoji(emoji);
    const { room } = await this.member(user, roomId);
    const target = await this.target(roomId, messageId);
    await this.refuseBlocked(user, room);
    const facts = await this.store.reactionFacts(target.id, emoji, user.id);
    if (facts.mine !== remove) {
      const first = clientId && (await this.store.findSent(roomId, user.id, clientId));
      return first ? { message: first, duplicate: true } : { unchanged: target };
    }
    if (!remove && !facts.present && facts.emojis >= MAX_EMOJIS) {
      throw new ChatError('too_many_reactions');
    }
    const event = { type: 'reaction' as const, roomId, message: emoji, targetId: target.id };
    return this.append(user, remove ? { ...event, removed: true } : event, clientId);
  }

  /** The owner and admins; in a public or direct room, any member. "" clears it. */
  async setTopic(
    user: User,
    roomId: string,
    topic: string,
    clientId: string | undefined,
  ): Promise<AppendResult> {
    const text = storableText(topic.trim());
    if (exceedsChars(text, TOPIC_MAX_CHARS)) {
      throw new ChatError('invalid_request', `A topic is at most ${TOPIC_MAX_CHARS} characters.`);
    }
    const { room, role } = await this.member(user, roomId);
    if (!maySetTopic(room, role)) {
      throw new ChatError('forbidden', "Only the room's owner and admins set its topic.");
    }
    await this.refuseBlocked(user, room);
    return this.append(user, { type: 'topic', roomId, message: text }, clientId);
  }

  /** Messages of the rooms the user may read (or of one), newest first, by pages. */
  async search(user: User | null, request: SearchRequest): Promise<SearchPage> {
    if (exceedsChars(request.q, SEARCH_QUERY_MAX_CHARS)) {
      throw new ChatError('invalid_request', `q is at most ${SEARCH_QUERY_MAX_CHARS} characters.`);
    }
    const words = searchWords(request.q);
    if (words.length === 0) {
      throw new ChatError('invalid_request', 'q must have a word (letters or digits).');
    }
    if (request.roomId !== undefined) await this.rooms.visible(user, request.roomId);
    const results = await this.store.search({
      words,
      userId: user?.id ?? null,
      roomId: request.roomId,
      before: request.before === undefined ? undefined : parseCursor(request.before),
      limit: request.limit,
    });
    const last = results[results.length - 1];
    if (!last || results.length < request.limit) return { results };
    return { results, next: `${last.sent}_${last.seq}_${last.id}` };
  }

  /**
   * A resend of a frame already applied may find its target changed by it (a
   * deletion, deleted): it gets the first answer, not message_not_found.
   */
  private async resendable<T>(
    user: User,
    roomId: string,
    clientId: string | undefined,
    work: () => Promise<T>,
  ): Promise<T> {
    try {
      return await work();
    } catch (err) {
      if (!(err instanceof ChatError) || err.code !== 'message_not_found' || !clientId) throw err;
      const first = await this.store.findSent(roomId, user.id, clientId);
      if (!first) throw err;
      return { message: first, duplicate: true } as T;
    }
  }

  /** The room, if the user may see it and is a member, with the member's role. */
  private async member(user: User, roomId: string) {
    const room = await this.rooms.visible(user, roomId);
    const role = await this.store.role(roomId, user.id);
    if (!role) throw new ChatError('not_member');
    return { room, role };
  }

  /** A message of the room that events may change: not deleted, not a notice, not an event. */
  private async target(roomId: string, messageId: string): Promise<ChatMessage> {
    const target = await this.store.getMessage(roomId, messageId);
    if (!target || target.deleted || !ACTIONABLE.has(target.type)) {
      throw new ChatError('message_not_found');
    }
    return target;
  }

  /** In a direct room, a block either way stops every change but a deletion. */
  private async refuseBlocked(user: User, room: Room): Promise<void> {
    if (!room.pair) return;
    if (await this.store.eitherBlocked(user.id, peerOf(room.pair, user.id))) {
      throw new ChatError('blocked');
    }
  }

  /** Counts against the message rate, stores the event, publishes it. */
  private async append(
    user: User,
    event: Pick<NewMessage, 'type' | 'roomId' | 'message' | 'targetId' | 'removed'>,
    clientId: string | undefined,
  ): Promise<AppendResult> {
    const waitMs = await this.guards.limits.message(user.id);
    if (waitMs > 0) {
      const first = clientId && (await this.store.findSent(event.roomId, user.id, clientId));
      if (!first) throw new ChatError('rate_limited', undefined, waitMs);
      return { message: first, duplicate: true };
    }
    const result = await this.store.appendEvent(
      {
        ...event,
        id: messageId(),
        memberId: user.id,
        memberName: user.name,
        sent: new Date().toISOString(),
        ...(clientId === undefined ? {} : { clientId }),
      },
      MAX_EMOJIS,
    );
    // A resend's first copy too, as in Chat.send: its first answer may have been lost.
    this.delivery.publish(result.message);
    return result;
  }
}

/** An edit's text: the rules of a sent message's (not empty, not too long, well-formed). */
function checkText(text: string, max: number): string {
  if (text.trim().length === 0) throw new ChatError('invalid_request', 'The message is empty.');
  if (exceedsChars(text, max)) {
    throw new ChatError('message_too_long', `A message is at most ${max} characters.`);
  }
  return storableText(text);
}

/**
 * 1 to 16 code points, none of them a space, a control character or a
 * direction override, and something among them visible: a zero-width space
 * alone would be a reaction nobody sees.
 */
export function checkEmoji(emoji: string): void {
  if (
    emoji.length === 0 ||
    exceedsChars(emoji, EMOJI_MAX_CHARS) ||
    /[\s\p{Cc}\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/u.test(emoji) ||
    !/[^\p{Cf}\p{M}]/u.test(emoji)
  ) {
    throw new ChatError(
      'invalid_request',
      `An emoji is 1 to ${EMOJI_MAX_CHARS} characters, with no space, control character or direction mark, and something visible.`,
    );
  }
  if (!emoji.isWellFormed())
    throw new ChatError('invalid_request', 'The emoji is not well-formed.');
}

/** The words of a query: runs of letters and digits (marks kept with their letter). */
export function searchWords(q: string): string[] {
  const words = q.match(/[\p{L}\p{N}][\p{L}\p{M}\p{N}]*/gu) ?? [];
  return [...new Set(words)].slice(0, SEARCH_WORDS_MAX);
}

/** `next` of a page: `<sent>_<seq>_<id>`. */
function parseCursor(cursor: string): { sent: string; seq: number; id: string } {
  const match = /^(\d{4}-\d\d-\d\dT[\d:.]+Z)_(\d{1,15})_([^_]{1,256})$/.exec(cursor);
  if (!match) throw new ChatError('invalid_request', 'before must be the next of a search page.');
  return { sent: match[1] as string, seq: Number(match[2]), id: match[3] as string };
}
