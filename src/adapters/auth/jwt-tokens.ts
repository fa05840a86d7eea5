import { createHmac, timingSafeEqual } from 'node:crypto';
import { SignJWT } from 'jose';
import { ChatError } from '../../core/errors.js';
import type { Tokens } from '../../core/ports/auth.js';
import type { User } from '../../core/ports/store.js';

/**
 * HS256 JWTs. Issued with jose; verified here with node:crypto, synchronously
 * (jose verifies through WebCrypto, whose promise round trip per token was a
 * fifth of the server's CPU in the connect-heavy benchmarks). Verification
 * accepts HS256 only, so `alg: none` and key-confusion tokens fail, rejects
 * `crit` extensions it does not know (all of them), and checks `exp` and
 * `nbf` as jose does (no clock tolerance).
 */
export class JwtTokens implements Tokens {
  private readonly key: Uint8Array;

  /** `ttl` is a jose time span such as "7d" or "12h". */
  constructor(
    secret: string,
    private readonly ttl: string,
  ) {
    this.key = new TextEncoder().encode(secret);
  }

  issue(user: User): Promise<string> {
    return new SignJWT({ name: user.name, guest: user.guest })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(user.id)
      .setIssuedAt()
      .setExpirationTime(this.ttl)
      .sign(this.key);
  }

  async verify(token: string): Promise<User> {
    const user = verifyHs256(token, this.key, Math.floor(Date.now() / 1000));
    if (!user) throw new ChatError('unauthorized', 'The token is invalid or expired.');
    return user;
  }
}

const BASE64URL = /^[A-Za-z0-9_-]*$/;

/** The token's user when it is a well-formed, correctly signed, current HS256 JWT; else undefined. */
export function verifyHs256(token: string, key: Uint8Array, nowSeconds: number): User | undefined {
  if (token.length > 8_192) return undefined;
  const first = token.indexOf('.');
  const second = token.indexOf('.', first + 1);
  if (first <= 0 || second <= first + 1 || token.indexOf('.', second + 1) !== -1) return undefined;
  const signature = token.slice(second + 1);
  if (!BASE64URL.test(signature)) return undefined;
  const expected = createHmac('sha256', key).update(token.slice(0, second)).digest();
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
  const header = decodePart(token.slice(0, first));
  if (header?.alg !== 'HS256' || header.crit !== undefined || header.b64 === false) {
    return undefined;
  }
  const claims = decodePart(token.slice(first + 1, second));
  if (!claims) return undefined;
  const { sub, name, guest, exp, nbf } = claims;
  if (typeof sub !== 'string' || typeof name !== 'string') return undefined;
  if (exp !== undefined && (typeof exp !== 'number' || exp <= nowSeconds)) return undefined;
  if (nbf !== undefined && (typeof nbf !== 'number' || nbf > nowSeconds)) return undefined;
  return { id: sub, name, guest: guest === true };
}

function decodePart(part: string): Record<string, unknown> | undefined {
  if (!BASE64URL.test(part)) return undefined;
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return value !== null && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}
