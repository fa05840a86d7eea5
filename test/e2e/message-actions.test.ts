import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import SQLite from 'better-sqlite3';
import { type ActionTarget, actionFlows } from '../flows/action-flows.js';
import { type ConfabProcess, removeDataDir, startConfab } from '../support/server.js';

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
