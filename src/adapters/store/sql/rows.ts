import type { Selectable } from 'kysely';
import type { Room } from '../../../core/ports/store.js';
import type {
  ChatMessage,
  MessageType,
  RoomKind,
  RoomSummary,
  Visibility,
} from '../../../protocol/message.js';
import type { Database } from './schema.js';

/** Rows as both stores read them, and their mapping to the protocol's shapes. */
export type MessageRow = Selectable<Database['messages']>;

export interface RoomSummaryRow {
  id: string;
  name: string;
  visibility: Visibility;
  last_seq: number;
  last_activity: string;
  /** The caller's read marker; null when the caller is not a member. */
  last_read_seq: number | null;
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
  return message;
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
  };
}
