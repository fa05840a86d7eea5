/**
 * What one `flat` case writes to SQLite, apart from the noise of a whole
 * benchmark: the store calls of a case (the session read, the join with its
 * notice, the message, the leave with its notice) for 20 users at once, each
 * in a room of their own, through the real SQL store on a new file. Prints
 * the WAL pages written per case (checkpoints off, so every page is counted:
 * the same figure run after run) and the store's CPU per case.
 * Run: node --import tsx bench/store-pages.ts [cases per user, default 1000]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteStore } from '../src/adapters/store/sqlite/open-sqlite-store.js';
import type { User } from '../src/core/domain.js';
import { messageId } from '../src/core/message-id.js';
import { notice } from '../src/core/notices.js';

const USERS = 20;
const WARMUP = 100;
const cases = Number(process.argv[2] ?? 1000);

const dir = mkdtempSync(join(tmpdir(), 'confab-store-pages-'));
const store = await openSqliteStore(dir, 'normal');
// The engine's database, reached past the Store port: only this measurement needs it.
const db = (store as unknown as { engine: { db: import('better-sqlite3').Database } }).engine.db;
db.pragma('wal_autocheckpoint = 0');

const users: User[] = Array.from({ length: USERS }, (_, i) => ({
  id: `user-${i}`,
  name: `user${i}`,
  guest: false,
}));
for (const [i, user] of users.entries()) {
  await store.createUser(user, 'hash');
  const createdAt = new Date().toISOString();
  await store.createRoom({
    id: `room-${i}`,
    name: `room ${i}`,
    visibility: 'public',
    createdBy: user.id,
    createdAt,
  });
}

async function visit(user: User, roomId: string, n: number): Promise<void> {
  await store.getSessionUser(user.id);
  await store.join(roomId, user, notice(roomId, user, 'joined'), { quietAbove: 100 });
  await store.append({
    id: messageId(),
    roomId,
    memberId: user.id,
    memberName: user.name,
    type: 'chat',
    message: 'Hello from the benchmark',
    sent: new Date().toISOString(),
    clientId: `c-${n}`,
  });
  await store.leave(roomId, user, notice(roomId, user, 'left'), { quietAbove: 100 });
}

async function run(count: number, offset: number): Promise<void> {
  await Promise.all(
    users.map(async (user, i) => {
      for (let n = 0; n < count; n++) await visit(user, `room-${i}`, offset + n);
    }),
  );
}

await run(WARMUP, 0);
db.pragma('wal_checkpoint(TRUNCATE)');
const cpu = process.cpuUsage();
await run(cases, WARMUP);
const used = process.cpuUsage(cpu);
const [wal] = db.pragma('wal_checkpoint(PASSIVE)') as [{ log: number }];
const total = USERS * cases;
console.log(
  `${total} cases: ${(wal.log / total).toFixed(2)} WAL pages and ${((used.user + used.system) / total).toFixed(0)} µs of CPU per case`,
);
await store.close();
rmSync(dir, { recursive: true, force: true });
