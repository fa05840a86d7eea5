import { type Kysely, type Migration, type MigrationProvider, Migrator } from 'kysely';

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
};

const provider: MigrationProvider = { getMigrations: async () => migrations };

export async function migrate(db: Kysely<unknown>): Promise<void> {
  const { error } = await new Migrator({ db, provider }).migrateToLatest();
  if (error) throw error;
}
