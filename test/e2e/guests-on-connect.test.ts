import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import SQLite from 'better-sqlite3';
import { call, createRoom, signup } from '../support/http.js';
import { type ConfabProcess, removeDataDir, startConfab } from '../support/server.js';
import { TestClient } from '../support/ws-client.js';

describe('a tokenless guest connection', () => {
  let server: ConfabProcess;
  let db: SQLite.Database;
  const guests = () =>
    db.prepare('select count(*) from users where guest = 1').pluck().get() as number;

  before(async () => {
    // Normal locking: the test reads the server's file beside it.
    server = await startConfab({ SQLITE_LOCKING: 'normal' });
    db = new SQLite(join(server.dataDir, 'confab.sqlite'), { readonly: true });
  });
  after(async () => {
    db.close();
    await server.stop();
    removeDataDir(server);
  });

  it('stores no account until it first joins a room, then is listed as a member', async () => {
    const owner = await signup(server.url);
    const roomId = await createRoom(server.url, owner.token);
    const before = guests();
    const lookers = await Promise.all(
      Array.from({ length: 5 }, () => TestClient.connect(server.wsUrl)),
    );
    for (const looker of lookers) await looker.next((f) => f.type === 'welcome');
    await Promise.all(lookers.map((looker) => looker.close()));
    assert.equal(guests(), before, 'connecting and leaving stores nothing');

    const guest = await TestClient.connect(server.wsUrl);
    const welcome = await guest.next((f) => f.type === 'welcome');
    const id = (welcome.user as { id: string }).id;
    assert.equal((await guest.request({ type: 'join', roomId })).type, 'joined');
    assert.equal(guests(), before + 1);
    const members = await call(server.url, 'GET', `/api/room/${roomId}`, {
      token: owner.token,
    });
    assert.ok(
      JSON.stringify(members.body).includes(id),
      `the guest is listed: ${JSON.stringify(members.body)}`,
    );
    await guest.close();
  });
});
