import { randomBytes } from 'node:crypto';
import pino from 'pino';
import { JwtTokens } from '../adapters/auth/jwt-tokens.js';
import { ScryptHasher } from '../adapters/auth/scrypt-hasher.js';
import { loadDotEnv, parseConfig } from '../config/config.js';
import { Accounts } from '../core/accounts.js';
import { ChatError } from '../core/errors.js';
import type { Store } from '../core/ports/store.js';
import { openStore } from '../open-adapters.js';
import { readSecret } from './read-secret.js';

/** An admin task that failed for a reason the operator can act on. */
export class AdminError extends Error {}

/**
 * Admin tasks work on the configured store directly (DATABASE_URL, else
 * DATA_DIR's SQLite file), not through a running server. On SQLite, stop
 * the server first or run both with SQLITE_LOCKING=normal.
 */
async function withStore<T>(task: (store: Store) => Promise<T>): Promise<T> {
  loadDotEnv();
  const config = parseConfig(process.env);
  const log = pino({ level: 'warn' }, process.stderr);
  const { store } = await openStore(config, log);
  try {
    return await task(store);
  } catch (err) {
    if (err instanceof ChatError) throw new AdminError(`${err.code}: ${err.message}`);
    throw err;
  } finally {
    await store.close();
  }
}

function oneName(args: string[], what: string): string {
  if (args.length !== 1 || args[0]?.startsWith('-')) throw new AdminError(`expected one ${what}`);
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
  'room list': {
    usage: 'confab room list',
    summary: 'list the public rooms, newest activity first',
    help: 'One room a line: id, visibility, last seq, last activity, name (tab-separated).',
    async run(args: string[]): Promise<number> {
      if (args.length > 0) throw new AdminError('room list takes no arguments');
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
