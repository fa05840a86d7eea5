import { jwtVerify, SignJWT } from 'jose';
import type { User } from '../../core/domain.js';
import { ChatError } from '../../core/errors.js';
import type { TokenClaims, Tokens } from '../../core/ports/auth.js';

/** Verified tokens remembered at most; the oldest is forgotten first. */
const CACHE_SIZE = 10_000;

interface Verified {
  claims: TokenClaims;
  /** Seconds since the epoch; the token is refused from then on. */
  expiresAt: number;
}

/**
 * HS256 JWTs, issued and verified by jose. Verification accepts HS256 only,
 * so `alg: none` and key-confusion tokens fail.
 *
 * jose verifies through WebCrypto, a promise round trip that was a fifth of
 * the server's CPU in the connect-heavy benchmarks, while clients present the
 * same token again and again (each reconnect, each tab). So a verified token
 * is remembered, by its exact text, until it expires: a changed byte is a
 * different key and goes through jose again.
 */
export class JwtTokens implements Tokens {
  private readonly key: Uint8Array;
  private readonly verified = new Map<string, Verified>();

  /** `ttl` is a jose time span such as "7d" or "12h". */
  constructor(
    secret: string,
    private readonly ttl: string,
    private readonly nowSeconds: () => number = () => Date.now() / 1000,
  ) {
    this.key = new TextEncoder().encode(secret);
  }

  issue(user: User): Promise<string> {
    // `name` and `guest` are for clients to read; the server reads the stored user.
    // `iat` keeps milliseconds (a NumericDate may have a fraction), so that a
    // sign-out refuses exactly the tokens issued before it.
    return new SignJWT({ name: user.name, guest: user.guest })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(user.id)
      .setIssuedAt(Math.round(this.nowSeconds() * 1000) / 1000)
      .setExpirationTime(this.ttl)
      .sign(this.key);
  }

  async verify(token: string): Promise<TokenClaims> {
    const known = this.verified.get(token);
    if (known) {
      if (known.expiresAt > this.nowSeconds()) return known.claims;
      this.verified.delete(token);
    }
    return this.verifyWithJose(token);
  }

  private async verifyWithJose(token: string): Promise<TokenClaims> {
    let claims: TokenClaims;
    let expiresAt: number;
    try {
      const { payload } = await jwtVerify(token, this.key, {
        algorithms: ['HS256'],
        currentDate: new Date(this.nowSeconds() * 1000),
      });
      if (typeof payload.sub !== 'string' || typeof payload.iat !== 'number') {
        throw new Error('claims missing');
      }
      claims = { userId: payload.sub, issuedAt: Math.round(payload.iat * 1000) };
      expiresAt = payload.exp ?? Number.POSITIVE_INFINITY;
    } catch {
      throw new ChatError('unauthorized', 'The token is invalid or expired.');
    }
    if (this.verified.size >= CACHE_SIZE) {
      const oldest = this.verified.keys().next().value;
      if (oldest !== undefined) this.verified.delete(oldest);
    }
    this.verified.set(token, { claims, expiresAt });
    return claims;
  }
}
