import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteStore } from '../../src/adapters/store/sqlite/open-sqlite-store.js';
import { storeContract } from './store.contract.js';

const dir = mkdtempSync(join(tmpdir(), 'confab-store-'));

storeContract(
  'SQLite',
  () => openSqliteStore(dir, 'normal'),
  async () => rmSync(dir, { recursive: true, force: true }),
);
