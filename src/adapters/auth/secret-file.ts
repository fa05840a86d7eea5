import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** As for JWT_SECRET (config.ts). */
const MIN_SECRET_CHARS = 32;

/** A `jwt-secret` file that cannot be used: a setting to fix, not a crash. */
export class BadSecretFile extends Error {
  override name = 'BadSecretFile';
}

/**
 * The JWT secret of a single node: generated once into the data folder, so
 * tokens survive restarts. Returns whether it was created now.
 */
export function loadOrCreateSecret(dataDir: string): { secret: string; created: boolean } {
  const file = join(dataDir, 'jwt-secret');
  try {
    return { secret: readSecret(file), created: false };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  // Owner only: the folder holds the secret, and the database with password hashes.
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const secret = randomBytes(48).toString('base64url');
  // 'wx': if another node created it meanwhile, fail rather than overwrite, then read theirs.
  try {
    writeFileSync(file, `${secret}\n`, { mode: 0o600, flag: 'wx' });
    return { secret, created: true };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    return { secret: readSecret(file), created: false };
  }
}

/** The same rule as JWT_SECRET's: a short or empty file is refused at start, not at the first signup. */
function readSecret(file: string): string {
  const secret = readFileSync(file, 'utf8').trim();
  if (secret.length < MIN_SECRET_CHARS) {
    throw new BadSecretFile(
      `${file} holds ${secret.length} characters; a JWT secret needs at least ${MIN_SECRET_CHARS}. ` +
        'Delete the file to have a new one generated (tokens signed with the old one stop working), or set JWT_SECRET.',
    );
  }
  return secret;
}
