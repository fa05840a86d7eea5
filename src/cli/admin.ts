import { randomBytes } from 'node:crypto';
import pino from 'pino';
import { JwtTokens } from '../adapters/auth/jwt-tokens.js';
import { ScryptHasher } from '../adapters/auth/scrypt-hasher.js';
import { RedisBus } from '../adapters/bus/redis-bus.js';
import { loadDotEnv, parseConfig } from '../config/config.js';
import { Accounts } from '../core/accounts.js';
import { ChatError } from '../core/errors.js';
import { Moderation } from '../core/moderation.js';
import { type BusEvent, type NodeNotices, topics } from '../core/ports/bus.js';
import type { Store } from '../core/ports/store.js';
import { openStore } from '../open-adapters.js';
import { AdminError, NotToldError, UsageError } from './errors.js';
import { readSecret } from './read-secret.js';

/**
 * Admin tasks work on the configured store directly (DATABASE_URL, else
 * DATA_DIR's SQLite file), not through a running server. On SQLite, stop
 * the server first or run both with SQLITE_LOCKING=normal.
 */
async function withStore<T>(task: (store: Store) => Promise<T>): Promise<T> {
  loadDotEnv();
  const config = parseConfig(process.env);
  const log = pino({ level: 'warn' }, process.stderr);
  const { store } = await openStore(config, log).catch((err: unknown) => {
    throw unopened(config.postgres ? 'DATABASE_URL' : 'DATA_DIR', err);
  });
  try {
    return await task(store);
  } catch (err) {
    if (err instanceof ChatError) throw new AdminError(`${err.code}: ${err.message}`);
    throw err;
  } finally {
    await store.close();
  }
}

/**
 * Why the store could not be opened, as one line (exit 1, nothing changed).
 * The usual case on SQLite: a running server holds the file alone.
 */
function unopened(where: 'DATABASE_URL' | 'DATA_DIR', err: unknown): AdminError {
  const code = (err as { code?: unknown }).code;
  if (where === 'DATA_DIR' && typeof code === 'string' && code.startsWith('SQLITE_BUSY')) {
    return new AdminError(
      'store_unavailable: the SQLite store in DATA_DIR is held by a running server: stop it first, or run both with SQLITE_LOCKING=normal',
    );
  }
  return new AdminError(
    `store_unavailable: cannot open the store of ${where} (${(err as Error).message})`,
  );
}

/**
 * A moderation task on the store, told to every running node over Redis
 * (REDIS_URL) once stored. Without REDIS_URL there is no channel to a
 * running node: on the embedded store the server is stopped anyway (one
 * process at a time); on PostgreSQL alone, a node's open connections are
 * not closed, though their tokens are refused from the next request on.
 */
async function moderate<T>(task: (moderation: Moderation) => Promise<T>): Promise<T> {
  loadDotEnv();
  const config = parseConfig(process.env);
  const log = pino({ level: 'warn' }, process.stderr);
  const bus = config.redis
    ? await RedisBus.open(config.redis.url, config.redis.prefix, log).catch((err) => {
        throw new AdminError(`cannot reach Redis at REDIS_URL (${(err as Error).message})`);
      })
    : undefined;
  let told = true;
  const publish = async (event: BusEvent) => {
    if (!bus) {
      process.stderr.write(
        'confab: REDIS_URL is not set: running nodes are not told (their open connections stay; see docs/operations.md)\n',
      );
      return;
    }
    await bus.publish(topics.directory, event).catch(() => {
      told = false;
    });
  };
  const notices: NodeNotices = {
    sessionsEnded: (userId, reason) => publish({ kind: 'sessionsEnded', userId, reason }),
    roomDeleted: (roomId, audience) =>
      publish(
        audience ? { kind: 'roomDeleted', roomId, audience } : { kind: 'roomDeleted', roomId },
      ),
  };
  try {
    const result = await withStore((store) =>
      task(new Moderation(store, new ScryptHasher(), notices)),
    );
    if (!told) {
      throw new NotToldError(
        'stored, but the running nodes could not be told over Redis: their open connections stay until they close',
      );
    }
    return result;
  } finally {
    await bus?.close();
  }
}

function oneName(args: string[], what: string): string {
  if (args.length !== 1 || args[0]?.startsWith('-')) throw new UsageError(`expected one ${what}`);
  return args[0] as string;
}

export const ADMIN_COMMANDS = {
  'user create': {
    usage: 'confab user create NAME',
    summary: 'create an account',
    help: 'The password comes from CONFAB_PASSWORD, a prompt, or the first line of piped input (8 to 128 characters).',
    async run(args: string[]): Promise<number> {
      const name = oneName(args, 'username');
      const password = await readSecret(`password for ${name}: `, 'CONFAB_PASSWORD');
      const user = await withStore(async (store) => {
        // The token that signup also returns is not wanted here: a throwaway key signs it.
        const accounts = new Accounts(
          store,
          new ScryptHasher(),
          new JwtTokens(randomBytes(32).toString('hex'), '1m'),
        );
        return (await accounts.signup(name, password)).user;
      });
      process.stdout.write(`created ${user.name} ${user.id}\n`);
      return 0;
    },
  },
  'user reset-password': {
    usage: 'confab user reset-password NAME',
    summary: "set an account's password and sign it out everywhere",
    help: `The password comes from CONFAB_PASSWORD, a prompt, or the first line of piped input (8 to 128 characters).
Every token issued before is refused from now on, and the account's open connections are closed (4401) on every node.`,
    async run(args: string[]): Promise<number> {
      const name = oneName(args, 'username');
      const password = await readSecret(`new password for ${name}: `, 'CONFAB_PASSWORD');
      const user = await moderate((m) => m.resetPassword(name, password));
      process.stdout.write(`password reset for ${user.name} ${user.id}\n`);
      return 0;
    },
  },
  'user ban': {
    usage: 'confab user ban NAME|ID',
    summary: 'ban a user: tokens refused, connections closed, logins refused',
    help: `NAME is an account's username; ID a user id (guests have only that).
At once and on every node: the user's tokens are refused (401), their open connections close with 4401,
and logins answer 403 account_banned. Their messages stay. confab user unban lifts it.`,
    async run(args: string[]): Promise<number> {
      const name = oneName(args, 'username or user id');
      const user = await moderate((m) => m.ban(name));
      process.stdout.write(`banned ${user.name} ${user.id}\n`);
      return 0;
    },
  },
  'user unban': {
    usage: 'confab user unban NAME|ID',
    summary: 'lift a ban: the user may log in again',
    help: 'Tokens issued before the ban stay refused: the user logs in again.',
    async run(args: string[]): Promise<number> {
      const name = oneName(args, 'username or user id');
      const user = await moderate((m) => m.unban(name));
      process.stdout.write(`unbanned ${user.name} ${user.id}\n`);
      return 0;
    },
  },
  'room delete': {
    usage: 'confab room delete ROOM_ID',
    summary: 'delete a room with its messages, at once',
    help: `ROOM_ID as confab room list prints it. No confirmation and no undo: its messages and memberships go.
On every node, the connections joined to it and its members' connections get {"type":"room_deleted","roomId"}
(on /api/serve: an error, then close 4404), and the room answers room_not_found from then on.`,
    async run(args: string[]): Promise<number> {
      const roomId = oneName(args, 'room id');
      const room = await moderate((m) => m.deleteRoom(roomId));
      process.stdout.write(`deleted ${room.name} ${room.id}\n`);
      return 0;
    },
  },
  'room list': {
    usage: 'confab room list',
    summary: 'list the public rooms, newest activity first',
    help: 'One room a line: id, visibility, last seq, last activity, name (tab-separated).',
    async run(args: string[]): Promise<number> {
      if (args.length > 0) throw new UsageError('room list takes no arguments');
      const rooms = await withStore((store) => store.listRooms(null));
      for (const room of rooms) {
        process.stdout.write(
          `${room.roomId}\t${room.visibility}\t${room.lastSeq}\t${room.lastActivity}\t${room.roomName}\n`,
        );
      }
      return 0;
    },
  },
};
