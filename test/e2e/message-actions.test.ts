import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import SQLite from 'better-sqlite3';
import { type ActionTarget, actionFlows } from '../flows/action-flows.js';
import { createRoom, signup } from '../support/http.js';
import { type ConfabProcess, removeDataDir, startConfab } from '../support/server.js';
import { TestClient } from '../support/ws-client.js';

describe('replies, edits, deletions, reactions, topics and search on the embedded store', () => {
  let server: ConfabProcess;
  const target: ActionTarget = { nodes: [], deletedWords: [] };

  before(async () => {
    server = await startConfab();
    target.nodes = [server];
  });
  after(() => removeDataDir(server));

  actionFlows(() => target);

  it('leaves no deleted text in the SQLite file, its search index included', async () => {
    assert.ok(target.deletedWords.length > 0);
    // Stopping checkpoints the WAL into the file and removes it.
    assert.equal(await server.stop(), 0);
    const file = join(server.dataDir, 'confab.sqlite');
    assert.equal(existsSync(`${file}-wal`), false);
    const bytes = readFileSync(file);
    const db = new SQLite(file, { readonly: true });
    try {
      db.exec("create virtual table temp.terms using fts5vocab(main, 'messages_fts', 'row')");
      for (const word of target.deletedWords) {
        assert.equal(bytes.includes(Buffer.from(word)), false, `${word} is in the file`);
        assert.equal(db.prepare('select 1 from temp.terms where term = ?').get(word), undefined);
      }
      // The check above can see a word: one that was not deleted is there.
      assert.ok(db.prepare('select 1 from temp.terms where term = ?').get('revised') === undefined);
      assert.ok(db.prepare('select 1 from temp.terms where term = ?').get('lunch') !== undefined);
    } finally {
      db.close();
    }
  });
});

describe('a deletion on a quiet embedded store', () => {
  it('leaves no trace of the text in the file, even when nothing is written after it', async () => {
    const server = await startConfab();
    try {
      const alice = await signup(server.url, 'quiet');
      const roomId = await createRoom(server.url, alice.token);
      const client = await TestClient.connect(server.wsUrl, { token: alice.token });
      await client.request({ type: 'join', roomId });
      const word = `wombat${Date.now().toString(36)}`;
      const sent = await client.request({ type: 'send', roomId, message: `my ${word} secret` });
      const edit = `${word}edited`;
      await client.request({ type: 'edit', roomId, messageId: sent.messageId, message: edit });
      const gone = await client.request({ type: 'delete', roomId, messageId: sent.messageId });
      assert.equal(gone.type, 'ack');
      await client.close();
      assert.equal(await server.stop(), 0);
      const bytes = readFileSync(join(server.dataDir, 'confab.sqlite'));
      assert.equal(bytes.includes(Buffer.from(word)), false, 'the deleted text is in the file');
    } finally {
      await server.stop();
      removeDataDir(server);
    }
  });
});
