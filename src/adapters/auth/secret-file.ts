import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The JWT secret of a single node: generated once into the data folder, so
 * tokens survive restarts. Returns whether it was created now.
 */
export function loadOrCreateSecret(dataDir: string): { secret: string; created: boolean } {
  const file = join(dataDir, 'jwt-secret');
  try {
    return { secret: readFileSync(file, 'utf8').trim(), created: false };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(48).toString('base64url');
  // 'wx': if another node created it meanwhile, fail rather than overwrite, then read theirs.
  try {
    writeFileSync(file, `${secret}\n`, { mode: 0o600, flag: 'wx' });
    return { secret, created: true };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    return { secret: readFileSync(file, 'utf8').trim(), created: false };
  }
}
