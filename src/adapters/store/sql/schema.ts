import type { Generated } from 'kysely';

/** The tables, as both SQLite and PostgreSQL hold them. Times are ISO 8601 text in UTC. */
export interface Database {
  users: {
    id: string;
    name: string;
    /** Lower-cased username, unique; null for guests. */
    username_key: string | null;
    password_hash: string | null;
    guest: number;
    created_at: string;
    /** Milliseconds since the epoch of the last sign-out; tokens issued until then are refused. */
    signed_out_at: number | null;
  };
  rooms: {
    id: string;
    name: string;
    visibility: 'public' | 'private';
    created_by: string | null;
    created_at: string;
    /** The highest seq handed out; the next message takes last_seq + 1 in the same transaction. */
    last_seq: Generated<number>;
    last_activity: string;
    kind: Generated<'room' | 'direct'>;
    /** A direct room's two user ids, sorted and joined by ':'; unique; null on other rooms. */
    pair_key: string | null;
    /** Set by the latest `topic` event; null or '' when none. */
    topic: string | null;
  };
  members: {
    room_id: string;
    user_id: string;
    joined_at: string;
    /** Messages up to this seq count as read. */
    last_read_seq: number;
    role: Generated<'owner' | 'admin' | 'member'>;
    /** Which messages notify the member when away: 'all', 'mentions' or 'none'. */
    notify: Generated<'all' | 'mentions' | 'none'>;
  };
  /** Two rows per direct room, one per member; last_activity moves with each message. */
  direct_rooms: {
    user_id: string;
    room_id: string;
    peer_id: string;
    last_activity: string;
  };
  blocks: {
    blocker_id: string;
    blocked_id: string;
    created_at: string;
  };
  messages: {
    id: string;
    room_id: string;
    seq: number;
    member_id: string;
    member_name: string;
    type: string;
    body: string;
    client_id: string | null;
    sent_at: string;
    /** On a reply: the id of the message it answers. */
    reply_to: string | null;
    /** On an event (edit, delete, reaction): the id of the message it changes. */
    target_id: string | null;
    /** On a reaction event: 1 when the reaction was taken back. */
    removed: Generated<number>;
    /** The time of the latest edit; the body is then the edited text. */
    edited_at: string | null;
    /** 1 once deleted: the body is '' (and so are its edit events'). */
    deleted: Generated<number>;
    /** The seq of the latest event applied to this message. */
    changed_seq: number | null;
  };
  /** Who reacted to which message with which emoji; `seq` is the reaction event's. */
  reactions: {
    message_id: string;
    emoji: string;
    user_id: string;
    user_name: string;
    seq: number;
  };
}
