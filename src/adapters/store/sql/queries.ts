import { sql } from './engine.js';

/** Rooms listed at most by GET /api/rooms. */
export const ROOM_LIST_MAX = 1000;

const MESSAGE_COLUMNS = 'id, room_id, seq, member_id, member_name, type, body, client_id, sent_at';

/**
 * Every statement both engines run, written once in the SQL that SQLite and
 * PostgreSQL share, with `$1`-style parameters. Each engine prepares a
 * statement once (SQLite) or once per connection (PostgreSQL, named).
 * The few statements whose SQL truly differs live with their engine
 * (sqlite/sqlite-engine.ts, postgres/postgres-engine.ts: insertMessage).
 */
export const q = {
  insertUser: sql(
    'insert_user',
    'insert into users (id, name, username_key, password_hash, guest, created_at) values ($1, $2, $3, $4, $5, $6)',
  ),
  findAccount: sql(
    'find_account',
    'select id, name, password_hash from users where username_key = $1',
  ),
  getUser: sql('get_user', 'select id, name, guest from users where id = $1'),
  getSessionUser: sql(
    'get_session_user',
    'select id, name, guest, signed_out_at from users where id = $1',
  ),
  signOut: sql('sign_out', 'update users set signed_out_at = $2 where id = $1'),
  insertRoom: sql(
    'insert_room',
    'insert into rooms (id, name, visibility, created_by, created_at, last_activity) values ($1, $2, $3, $4, $5, $5)',
  ),
  getRoom: sql(
    'get_room',
    'select id, name, visibility, created_by, created_at, last_seq from rooms where id = $1',
  ),
  roomSeq: sql('room_seq', 'select last_seq from rooms where id = $1'),
  // Times have millisecond resolution: on a tie, the room with more messages counts as newer, then the id decides.
  listRooms: sql(
    'list_rooms',
    `select rooms.id, rooms.name, rooms.visibility, rooms.last_seq, rooms.last_activity, members.last_read_seq
     from rooms left join members on members.room_id = rooms.id and members.user_id = $1
     where rooms.visibility = 'public' or members.user_id is not null
     order by rooms.last_activity desc, rooms.last_seq desc, rooms.id limit $2`,
  ),
  isMember: sql('is_member', 'select 1 as one from members where room_id = $1 and user_id = $2'),
  countMembers: sql('count_members', 'select count(*) as n from members where room_id = $1'),
  /** Reads at most `$2` rows, whatever the room's size. */
  countMembersUpTo: sql(
    'count_members_up_to',
    'select count(*) as n from (select 1 from members where room_id = $1 limit $2) as m',
  ),
  members: sql(
    'members',
    `select users.id, users.name, users.guest from members inner join users on users.id = members.user_id
     where members.room_id = $1 order by members.joined_at, users.id`,
  ),
  insertMember: sql(
    'insert_member',
    `insert into members (room_id, user_id, joined_at, last_read_seq) values ($1, $2, $3, $4)
     on conflict (room_id, user_id) do nothing`,
  ),
  deleteMember: sql('delete_member', 'delete from members where room_id = $1 and user_id = $2'),
  /** Moves the marker forward only, and never past the room's last seq. */
  markRead: sql(
    'mark_read',
    `update members set last_read_seq =
       (select case when rooms.last_seq < $3 then rooms.last_seq else $3 end from rooms where rooms.id = $1)
     where room_id = $1 and user_id = $2 and last_read_seq < $3`,
  ),
  byClientId: sql(
    'by_client_id',
    `select ${MESSAGE_COLUMNS} from messages where room_id = $1 and member_id = $2 and client_id = $3`,
  ),
  // History: ascending from a lower bound, or the newest page read downwards (then flipped).
  historyAfter: sql(
    'history_after',
    `select ${MESSAGE_COLUMNS} from messages where room_id = $1 and seq > $2 order by seq limit $3`,
  ),
  historyBetween: sql(
    'history_between',
    `select ${MESSAGE_COLUMNS} from messages where room_id = $1 and seq > $2 and seq < $3 order by seq limit $4`,
  ),
  historyBefore: sql(
    'history_before',
    `select ${MESSAGE_COLUMNS} from messages where room_id = $1 and seq < $2 order by seq desc limit $3`,
  ),
  historyNewest: sql(
    'history_newest',
    `select ${MESSAGE_COLUMNS} from messages where room_id = $1 order by seq desc limit $2`,
  ),
  ping: sql('ping', 'select 1 as one'),
};
