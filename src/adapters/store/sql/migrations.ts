import {
  type Kysely,
  type Migration,
  type MigrationProvider,
  Migrator,
  PostgresAdapter,
  sql,
} from 'kysely';

/**
 * Schema changes, in order, written once for both SQLite and PostgreSQL.
 * Kysely's migrator takes a lock, so several nodes may start at once.
 */
const migrations: Record<string, Migration> = {
  '001_initial': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('users')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('username_key', 'text', (c) => c.unique())
        .addColumn('password_hash', 'text')
        .addColumn('guest', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('rooms')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('visibility', 'text', (c) => c.notNull())
        .addColumn('created_by', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('last_seq', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('last_activity', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('rooms_by_activity')
        .on('rooms')
        .columns(['visibility', 'last_activity'])
        .execute();
      await db.schema
        .createTable('members')
        .addColumn('room_id', 'text', (c) => c.notNull())
        .addColumn('user_id', 'text', (c) => c.notNull())
        .addColumn('joined_at', 'text', (c) => c.notNull())
        .addColumn('last_read_seq', 'integer', (c) => c.notNull().defaultTo(0))
        .addPrimaryKeyConstraint('members_pk', ['room_id', 'user_id'])
        .execute();
      await db.schema.createIndex('members_by_user').on('members').column('user_id').execute();
      await db.schema
        .createTable('messages')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('room_id', 'text', (c) => c.notNull())
        .addColumn('seq', 'integer', (c) => c.notNull())
        .addColumn('member_id', 'text', (c) => c.notNull())
        .addColumn('member_name', 'text', (c) => c.notNull())
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('body', 'text', (c) => c.notNull())
        .addColumn('client_id', 'text')
        .addColumn('sent_at', 'text', (c) => c.notNull())
        .addUniqueConstraint('messages_room_seq', ['room_id', 'seq'])
        .execute();
      // Idempotent resends: one stored message per (room, sender, client id). NULLs never collide.
      await db.schema
        .createIndex('messages_client_id')
        .on('messages')
        .columns(['room_id', 'member_id', 'client_id'])
        .unique()
        .execute();
    },
  },
  // Every message moves its room's last_activity, and so rewrote this index's
  // entry: without it, PostgreSQL updates the room row in place (a HOT update,
  // no index touched), and the room list sorts the rooms it reads instead.
  // Dropping an index is instant on a database of any size.
  '002_rooms_unindexed_activity': {
    async up(db: Kysely<unknown>) {
      await db.schema.dropIndex('rooms_by_activity').ifExists().execute();
    },
  },
  // Sign-out: tokens issued up to this time (ms since the epoch) are refused.
  '003_signed_out_at': {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable('users').addColumn('signed_out_at', 'bigint').execute();
    },
  },
  // Direct rooms, roles and blocks (issue 10). Named to sort after the other branches' 00x migrations.
  '010_social': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .alterTable('rooms')
        .addColumn('kind', 'text', (c) => c.notNull().defaultTo('room'))
        .execute();
      // A direct room's two user ids, sorted and joined by ':'; null on other rooms.
      await db.schema.alterTable('rooms').addColumn('pair_key', 'text').execute();
      // One direct room per pair, whichever node makes it first. NULLs never collide.
      await db.schema
        .createIndex('rooms_pair_key')
        .on('rooms')
        .column('pair_key')
        .unique()
        .execute();
      await db.schema
        .alterTable('members')
        .addColumn('role', 'text', (c) => c.notNull().defaultTo('member'))
        .execute();
      // Every existing room's creator, where still a member, becomes its owner.
      await sql`update members set role = 'owner' where exists
        (select 1 from rooms where rooms.id = members.room_id and rooms.created_by = members.user_id)`.execute(
        db,
      );
      await db.schema
        .createTable('blocks')
        .addColumn('blocker_id', 'text', (c) => c.notNull())
        .addColumn('blocked_id', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('blocks_pk', ['blocker_id', 'blocked_id'])
        .execute();
      // Each user's direct rooms, with the time of their last message: contacts read the
      // newest few through the index, however many conversations a user has.
      await db.schema
        .createTable('direct_rooms')
        .addColumn('user_id', 'text', (c) => c.notNull())
        .addColumn('room_id', 'text', (c) => c.notNull())
        .addColumn('peer_id', 'text', (c) => c.notNull())
        .addColumn('last_activity', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('direct_rooms_pk', ['user_id', 'room_id'])
        .execute();
      await db.schema
        .createIndex('direct_rooms_by_activity')
        .on('direct_rooms')
        .columns(['user_id', 'last_activity', 'room_id'])
        .execute();
      await db.schema
        .createIndex('direct_rooms_by_room')
        .on('direct_rooms')
        .column('room_id')
        .execute();
    },
  },
  // Message actions (issue 15): replies, events that change a message (edit, delete,
  // reaction), reactions, room topics, and the search index. Every column added is
  // nullable or has a constant default: instant on a database of any size.
  '020_message_actions': {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable('rooms').addColumn('topic', 'text').execute();
      for (const column of ['reply_to', 'target_id', 'edited_at'])
        await db.schema.alterTable('messages').addColumn(column, 'text').execute();
      for (const column of ['removed', 'deleted'])
        await db.schema
          .alterTable('messages')
          .addColumn(column, 'integer', (c) => c.notNull().defaultTo(0))
          .execute();
      await db.schema.alterTable('messages').addColumn('changed_seq', 'integer').execute();
      // A deletion finds the edit events of its message. Partial: a plain message adds no entry.
      await db.schema
        .createIndex('messages_by_target')
        .on('messages')
        .column('target_id')
        .where(sql.ref('target_id'), 'is not', null)
        .execute();
      await db.schema
        .createTable('reactions')
        .addColumn('message_id', 'text', (c) => c.notNull())
        .addColumn('emoji', 'text', (c) => c.notNull())
        .addColumn('user_id', 'text', (c) => c.notNull())
        .addColumn('user_name', 'text', (c) => c.notNull())
        .addColumn('seq', 'integer', (c) => c.notNull())
        .addPrimaryKeyConstraint('reactions_pk', ['message_id', 'emoji', 'user_id'])
        .execute();
      if (db.getExecutor().adapter instanceof PostgresAdapter) await postgresSearch(db);
      else await sqliteSearch(db);
    },
  },
  // Bans (confab user ban): when the account was banned (ms since the epoch); null: not banned.
  '021_banned_at': {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable('users').addColumn('banned_at', 'bigint').execute();
    },
  },
  // Each member's notification level in a room (issue 15): a constant default, instant.
  '021_notify_level': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .alterTable('members')
        .addColumn('notify', 'text', (c) => c.notNull().defaultTo('all'))
        .execute();
    },
  },
  /**
   * The client-id index holds only messages that have one: the joined and
   * left notices (two of a visit's three messages) then write one B-tree
   * fewer. Uniqueness is unchanged (nulls never clashed), and the lookup
   * `client_id = $3` implies `is not null`, so both engines still use it.
   * The new index is built before the old one goes: on PostgreSQL writes
   * wait for the build (it reads every message once), reads do not. Each
   * step may run again after a crash (SQLite migrates without a transaction).
   */
  '022_client_id_partial': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createIndex('messages_by_client_id')
        .ifNotExists()
        .on('messages')
        .columns(['room_id', 'member_id', 'client_id'])
        .unique()
        .where(sql.ref('client_id'), 'is not', null)
        .execute();
      await db.schema.dropIndex('messages_client_id').ifExists().execute();
    },
  },
  // SQLite's search index filled in batches rather than by a trigger in every commit (sqliteSearchInBatches).
  '023_search_in_batches': {
    async up(db: Kysely<unknown>) {
      if (!(db.getExecutor().adapter instanceof PostgresAdapter)) await sqliteSearchInBatches(db);
    },
  },
};

/**
 * PostgreSQL: a GIN index over the words of chat and bot messages ('simple':
 * lower-cased words, no stemming, as SQLite's unicode61 tokenizer). A
 * deleted message's body is '', so it has no words to find. Building it
 * reads every message once; writes wait for it (seconds per million rows).
 */
async function postgresSearch(db: Kysely<unknown>): Promise<void> {
  await sql`create index messages_search on messages
    using gin (to_tsvector('simple', body)) where type in ('chat', 'bot')`.execute(db);
}

/**
 * SQLite: an FTS5 index over the same messages, its content read from
 * `messages` (nothing stored twice), kept in step by triggers. With
 * secure-delete, a changed or deleted text's words leave the index at once
 * rather than at a later merge.
 */
async function sqliteSearch(db: Kysely<unknown>): Promise<void> {
  await sql`create virtual table messages_fts using fts5(body, content='messages', content_rowid='rowid')`.execute(
    db,
  );
  await sql`insert into messages_fts(messages_fts, rank) values ('secure-delete', 1)`.execute(db);
  await sql`insert into messages_fts(rowid, body)
    select rowid, body from messages where type in ('chat', 'bot')`.execute(db);
  await sql`create trigger messages_fts_insert after insert on messages
    when new.type in ('chat', 'bot') begin
      insert into messages_fts(rowid, body) values (new.rowid, new.body);
    end`.execute(db);
  await sql`create trigger messages_fts_update after update of body on messages
    when old.type in ('chat', 'bot') and old.body <> new.body begin
      insert into messages_fts(messages_fts, rowid, body) values ('delete', old.rowid, old.body);
      insert into messages_fts(rowid, body) values (new.rowid, new.body);
    end`.execute(db);
}

/**
 * SQLite: FTS5 writes a new index segment in every transaction that adds to
 * it, and merges segments as they pile up; filled by a trigger, that was a
 * segment per group commit and a quarter of the store's CPU per chat case.
 * Now `search_progress` holds the last message rowid that is indexed, and the
 * store indexes everything after it in one batch (SearchBatches.catchUp):
 * a second after a message is stored, and before every search, so a search
 * still finds what was stored before it. An edit changes the index at once
 * only for a message already in it; a later one is indexed with its new text.
 */
async function sqliteSearchInBatches(db: Kysely<unknown>): Promise<void> {
  // Each statement may run again after a crash: SQLite migrates without a transaction.
  await sql`create table if not exists search_progress (indexed_rowid integer not null)`.execute(
    db,
  );
  await sql`insert into search_progress (indexed_rowid)
    select coalesce(max(rowid), 0) from messages
    where not exists (select 1 from search_progress)`.execute(db);
  await sql`drop trigger if exists messages_fts_insert`.execute(db);
  await sql`drop trigger if exists messages_fts_update`.execute(db);
  await sql`create trigger messages_fts_update after update of body on messages
    when old.type in ('chat', 'bot') and old.body <> new.body
      and old.rowid <= (select indexed_rowid from search_progress) begin
      insert into messages_fts(messages_fts, rowid, body) values ('delete', old.rowid, old.body);
      insert into messages_fts(rowid, body) values (new.rowid, new.body);
    end`.execute(db);
}

const provider: MigrationProvider = { getMigrations: async () => migrations };

export async function migrate(db: Kysely<unknown>): Promise<void> {
  const { error } = await new Migrator({ db, provider }).migrateToLatest();
  if (error) throw error;
}

/** Migrates up to `name` only: tests fill an older schema, then check what later migrations make of it. */
export async function migrateTo(db: Kysely<unknown>, name: string): Promise<void> {
  const { error } = await new Migrator({ db, provider }).migrateTo(name);
  if (error) throw error;
}
