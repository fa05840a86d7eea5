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
  };
  members: {
    room_id: string;
    user_id: string;
    joined_at: string;
    /** Messages up to this seq count as read. */
    last_read_seq: number;
    role: Generated<'owner' | 'admin' | 'member'>;
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
  };
}
