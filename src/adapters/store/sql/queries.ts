import { sql } from './engine.js';

/** Rooms listed at most by GET /api/rooms. */
export const ROOM_LIST_MAX = 1000;

export const MESSAGE_COLUMNS =
  'id, room_id, seq, member_id, member_name, type, body, client_id, sent_at, reply_to, target_id, removed, edited_at, deleted, changed_seq';
/**
 * The same, of `m`, with what a reply shows of the message it answers (`r`,
 * left-joined): its first 140 characters (REPLY_EXCERPT_CHARS in core/chat.ts).
 */
export const MESSAGE_WITH_REPLY = `${MESSAGE_COLUMNS.replace(/(\w+)/g, 'm.$1')},
  r.seq as reply_seq, r.member_id as reply_member_id, r.member_name as reply_member_name,
  substr(r.body, 1, 140) as reply_body, r.deleted as reply_deleted`;
const WITH_REPLY = 'messages m left join messages r on r.id = m.reply_to';

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
    'select id, name, password_hash, banned_at from users where username_key = $1',
  ),
  getUser: sql('get_user', 'select id, name, guest from users where id = $1'),
  getSessionUser: sql(
    'get_session_user',
    'select id, name, guest, signed_out_at, banned_at from users where id = $1',
  ),
  signOut: sql('sign_out', 'update users set signed_out_at = $2 where id = $1'),
  /** A ban signs out too: `$2` is the ban's time, or null to lift it (signed_out_at stays). */
  setBanned: sql(
    'set_banned',
    'update users set banned_at = $2, signed_out_at = coalesce($2, signed_out_at) where id = $1',
  ),
  /** A new password signs the user out everywhere at `$3`. */
  setPassword: sql(
    'set_password',
    'update users set password_hash = $2, signed_out_at = $3 where id = $1 and password_hash is not null',
  ),
  deleteRoomReactions: sql(
    'delete_room_reactions',
    'delete from reactions where message_id in (select id from messages where room_id = $1)',
  ),
  deleteRoomMessages: sql('delete_room_messages', 'delete from messages where room_id = $1'),
  deleteRoomMembers: sql('delete_room_members', 'delete from members where room_id = $1'),
  deleteRoomDirect: sql('delete_room_direct', 'delete from direct_rooms where room_id = $1'),
  deleteRoom: sql('delete_room', 'delete from rooms where id = $1'),
  insertRoom: sql(
    'insert_room',
    'insert into rooms (id, name, visibility, created_by, created_at, last_activity) values ($1, $2, $3, $4, $5, $5)',
  ),
  getRoom: sql(
    'get_room',
    'select id, name, visibility, created_by, created_at, last_seq, kind, pair_key, topic from rooms where id = $1',
  ),
  roomSeq: sql('room_seq', 'select last_seq, visibility from rooms where id = $1'),
  // Times have millisecond resolution: on a tie, the room with more messages counts as newer, then the id decides.
  listRooms: sql(
    'list_rooms',
    `select rooms.id, rooms.name, rooms.visibility, rooms.last_seq, rooms.last_activity, rooms.topic,
       members.last_read_seq, members.notify
     from rooms left join members on members.room_id = rooms.id and members.user_id = $1
     where rooms.visibility = 'public' or members.user_id is not null
     order by rooms.last_activity desc, rooms.last_seq desc, rooms.id limit $2`,
  ),
  isMember: sql('is_member', 'select 1 as one from members where room_id = $1 and user_id = $2'),
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
    `select ${MESSAGE_WITH_REPLY} from ${WITH_REPLY} where m.room_id = $1 and m.seq > $2 order by m.seq limit $3`,
  ),
  historyBetween: sql(
    'history_between',
    `select ${MESSAGE_WITH_REPLY} from ${WITH_REPLY} where m.room_id = $1 and m.seq > $2 and m.seq < $3 order by m.seq limit $4`,
  ),
  historyBefore: sql(
    'history_before',
    `select ${MESSAGE_WITH_REPLY} from ${WITH_REPLY} where m.room_id = $1 and m.seq < $2 order by m.seq desc limit $3`,
  ),
  historyNewest: sql(
    'history_newest',
    `select ${MESSAGE_WITH_REPLY} from ${WITH_REPLY} where m.room_id = $1 order by m.seq desc limit $2`,
  ),
  /** The reactions to a room's messages from seq $2 to $3, oldest first. */
  reactionsBetween: sql(
    'reactions_between',
    `select reactions.message_id, reactions.emoji, reactions.user_id, reactions.user_name
     from reactions inner join messages on messages.id = reactions.message_id
     where messages.room_id = $1 and messages.seq >= $2 and messages.seq <= $3
     order by reactions.seq, reactions.user_id`,
  ),
  reactionsOf: sql(
    'reactions_of',
    `select message_id, emoji, user_id, user_name from reactions where message_id = $1
     order by seq, user_id`,
  ),
  getMessage: sql(
    'get_message',
    `select ${MESSAGE_WITH_REPLY} from ${WITH_REPLY} where m.id = $1 and m.room_id = $2`,
  ),
  /** How many emoji a message has, whether `$2` is one, and whether user `$3` used it. */
  reactionFacts: sql(
    'reaction_facts',
    `select count(distinct emoji) as emojis,
       coalesce(max(case when emoji = $2 then 1 else 0 end), 0) as present,
       coalesce(max(case when emoji = $2 and user_id = $3 then 1 else 0 end), 0) as mine
     from reactions where message_id = $1`,
  ),
  emojiCount: sql(
    'emoji_count',
    'select count(distinct emoji) as n from reactions where message_id = $1',
  ),
  insertReaction: sql(
    'insert_reaction',
    `insert into reactions (message_id, emoji, user_id, user_name, seq) values ($1, $2, $3, $4, $5)
     on conflict (message_id, emoji, user_id) do nothing`,
  ),
  deleteReaction: sql(
    'delete_reaction',
    'delete from reactions where message_id = $1 and emoji = $2 and user_id = $3',
  ),
  deleteReactions: sql('delete_reactions', 'delete from reactions where message_id = $1'),
  // The events' changes to their target, each only on a message that may take it.
  applyEdit: sql(
    'apply_edit',
    `update messages set body = $3, edited_at = $4, changed_seq = $5
     where id = $1 and room_id = $2 and type = 'chat' and deleted = 0`,
  ),
  applyDelete: sql(
    'apply_delete',
    `update messages set body = '', deleted = 1, changed_seq = $3
     where id = $1 and room_id = $2 and type in ('chat', 'bot', 'failed') and deleted = 0`,
  ),
  /** A deleted message's edit events lose their text too (through messages_by_target). */
  scrubEdits: sql(
    'scrub_edits',
    `update messages set body = '' where target_id = $1 and type = 'edit'`,
  ),
  touchChanged: sql(
    'touch_changed',
    `update messages set changed_seq = $3
     where id = $1 and room_id = $2 and type in ('chat', 'bot', 'failed') and deleted = 0`,
  ),
  setTopic: sql('set_topic', 'update rooms set topic = $2 where id = $1'),
  setNotify: sql(
    'set_notify',
    'update members set notify = $3 where room_id = $1 and user_id = $2',
  ),
  ping: sql('ping', 'select 1 as one'),

  // Roles, direct rooms, blocks, contacts and user search.
  insertMemberAs: sql(
    'insert_member_as',
    `insert into members (room_id, user_id, joined_at, last_read_seq, role) values ($1, $2, $3, $4, $5)
     on conflict (room_id, user_id) do nothing`,
  ),
  memberRole: sql('member_role', 'select role from members where room_id = $1 and user_id = $2'),
  roster: sql(
    'roster',
    `select users.id, users.name, users.guest, members.role from members inner join users on users.id = members.user_id
     where members.room_id = $1 order by members.joined_at, users.id`,
  ),
  setRole: sql('set_role', 'update members set role = $3 where room_id = $1 and user_id = $2'),
  /** The pair's unique key decides between concurrent first calls: the loser inserts nothing. */
  insertDirectRoom: sql(
    'insert_direct_room',
    `insert into rooms (id, name, visibility, created_by, created_at, last_activity, kind, pair_key)
     values ($1, $2, 'private', $3, $4, $4, 'direct', $5)
     on conflict (pair_key) do nothing`,
  ),
  directRoomByPair: sql(
    'direct_room_by_pair',
    'select id, name, visibility, created_by, created_at, last_seq, kind, pair_key from rooms where pair_key = $1',
  ),
  insertDirectEntry: sql(
    'insert_direct_entry',
    `insert into direct_rooms (user_id, room_id, peer_id, last_activity) values ($1, $2, $3, $4)
     on conflict (user_id, room_id) do nothing`,
  ),
  /** With each message of a direct room, in its transaction. */
  touchDirect: sql(
    'touch_direct',
    'update direct_rooms set last_activity = $2 where room_id = $1 and last_activity < $2',
  ),
  // A user's newest direct rooms, read in order from direct_rooms_by_activity: never a scan of
  // all their conversations, nor of messages.
  directRooms: sql(
    'direct_rooms',
    `select direct_rooms.room_id, direct_rooms.last_activity, users.id, users.name, users.guest
     from direct_rooms inner join users on users.id = direct_rooms.peer_id
     where direct_rooms.user_id = $1
     order by direct_rooms.last_activity desc, direct_rooms.room_id desc limit $2`,
  ),
  /** As directRooms, keeping peers whose lower-cased name is like `$3` (escape '!'). */
  directRoomsMatching: sql(
    'direct_rooms_matching',
    `select direct_rooms.room_id, direct_rooms.last_activity, users.id, users.name, users.guest
     from direct_rooms inner join users on users.id = direct_rooms.peer_id
     where direct_rooms.user_id = $1 and lower(users.name) like $3 escape '!'
     order by direct_rooms.last_activity desc, direct_rooms.room_id desc limit $2`,
  ),
  /**
   * Accounts by username prefix: the range [$1, $2) walks the unique
   * username_key index; the LIKE keeps exactly the prefix's matches.
   */
  searchAccounts: sql(
    'search_accounts',
    `select id, name, guest from users
     where username_key >= $1 and username_key < $2 and username_key like $3 escape '!'
     order by username_key limit $4`,
  ),
  insertBlock: sql(
    'insert_block',
    `insert into blocks (blocker_id, blocked_id, created_at) values ($1, $2, $3)
     on conflict (blocker_id, blocked_id) do nothing`,
  ),
  deleteBlock: sql('delete_block', 'delete from blocks where blocker_id = $1 and blocked_id = $2'),
  blockedBy: sql(
    'blocked_by',
    `select users.id, users.name, users.guest from blocks inner join users on users.id = blocks.blocked_id
     where blocks.blocker_id = $1 order by blocks.created_at desc, users.id`,
  ),
  eitherBlocked: sql(
    'either_blocked',
    `select 1 as one from blocks
     where (blocker_id = $1 and blocked_id = $2) or (blocker_id = $2 and blocked_id = $1)`,
  ),
};
