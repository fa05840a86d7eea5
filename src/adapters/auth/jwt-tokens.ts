import { jwtVerify, SignJWT } from 'jose';
import { ChatError } from '../../core/errors.js';
import type { Tokens } from '../../core/ports/auth.js';
import type { User } from '../../core/ports/store.js';

/** HS256 JWTs. Verification accepts HS256 only, so `alg: none` and key-confusion tokens fail. */
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
    try {
      const { payload } = await jwtVerify(token, this.key, { algorithms: ['HS256'] });
      if (typeof payload.sub !== 'string' || typeof payload.name !== 'string') {
        throw new Error('claims missing');
      }
      return { id: payload.sub, name: payload.name, guest: payload.guest === true };
    } catch {
      throw new ChatError('unauthorized', 'The token is invalid or expired.');
    }
  }
}
