import type { Selectable } from 'kysely';
import type { Room } from '../../../core/domain.js';
import type {
  ChatMessage,
  MessageType,
  NotifyLevel,
  ReactionView,
  RoomKind,
  RoomSummary,
  Visibility,
} from '../../../protocol/message.js';
import type { Database } from './schema.js';

/** Rows as both stores read them, and their mapping to the protocol's shapes. */
export type MessageRow = Selectable<Database['messages']> & Partial<ReplyColumns>;

/** What a reply shows of the message it answers, where the query joined it. */
interface ReplyColumns {
  reply_seq: number | null;
  reply_member_id: string | null;
  reply_member_name: string | null;
  reply_body: string | null;
  reply_deleted: number | null;
}

export interface ReactionRow {
  message_id: string;
  emoji: string;
  user_id: string;
  user_name: string;
}

export interface RoomSummaryRow {
  id: string;
  name: string;
  visibility: Visibility;
  last_seq: number;
  last_activity: string;
  /** The caller's read marker; null when the caller is not a member. */
  last_read_seq: number | null;
  topic: string | null;
  /** The caller's level; null when the caller is not a member. */
  notify: NotifyLevel | null;
}

export interface RoomRow {
  id: string;
  name: string;
  visibility: Visibility;
  created_by: string | null;
  created_at: string;
  last_seq: number;
  kind: RoomKind;
  pair_key: string | null;
  topic?: string | null;
}

export function toRoom(row: RoomRow): Room {
  return {
    id: row.id,
    name: row.name,
    visibility: row.visibility,
    createdBy: row.created_by,
    createdAt: row.created_at,
    lastSeq: Number(row.last_seq),
    kind: row.kind,
    ...(row.pair_key ? { pair: row.pair_key.split(':') as [string, string] } : {}),
    ...(row.topic ? { topic: row.topic } : {}),
  };
}

export function toMessage(row: MessageRow): ChatMessage {
  const message: ChatMessage = {
    id: row.id,
    roomId: row.room_id,
    seq: Number(row.seq),
    memberId: row.member_id,
    memberName: row.member_name,
    type: row.type as MessageType,
    message: row.body,
    sent: row.sent_at,
  };
  if (row.client_id !== null) message.clientId = row.client_id;
  if (row.reply_to !== null) {
    message.replyTo = row.reply_to;
    if (row.reply_seq !== undefined && row.reply_seq !== null) {
      message.reply = {
        seq: Number(row.reply_seq),
        memberId: row.reply_member_id ?? '',
        memberName: row.reply_member_name ?? '',
        excerpt: row.reply_body ?? '',
        ...(Number(row.reply_deleted) === 1 ? { deleted: true as const } : {}),
      };
    }
  }
  if (row.target_id !== null) message.targetId = row.target_id;
  if (Number(row.removed) === 1) message.removed = true;
  if (row.edited_at !== null) message.edited = row.edited_at;
  if (Number(row.deleted) === 1) message.deleted = true;
  if (row.changed_seq !== null) message.changedSeq = Number(row.changed_seq);
  return message;
}

/** Gathers reaction rows (oldest first) onto their messages: each emoji in the order first used. */
export function attachReactions(messages: ChatMessage[], rows: ReactionRow[]): void {
  const byMessage = new Map<string, Map<string, ReactionView>>();
  for (const row of rows) {
    let emojis = byMessage.get(row.message_id);
    if (!emojis) {
      emojis = new Map();
      byMessage.set(row.message_id, emojis);
    }
    let view = emojis.get(row.emoji);
    if (!view) {
      view = { emoji: row.emoji, count: 0, users: [] };
      emojis.set(row.emoji, view);
    }
    view.count++;
    view.users.push({ id: row.user_id, name: row.user_name });
  }
  for (const message of messages) {
    const emojis = byMessage.get(message.id);
    if (emojis) message.reactions = [...emojis.values()];
  }
}

export function toRoomSummary(row: RoomSummaryRow): RoomSummary {
  const lastSeq = Number(row.last_seq);
  const read = row.last_read_seq;
  return {
    roomId: row.id,
    roomName: row.name,
    visibility: row.visibility,
    lastSeq,
    unread: read === null ? 0 : Math.max(0, lastSeq - Number(read)),
    member: read !== null,
    lastActivity: row.last_activity,
    ...(row.topic ? { topic: row.topic } : {}),
    // Absent for the default, `all`.
    ...(row.notify && row.notify !== 'all' ? { notify: row.notify } : {}),
  };
}
