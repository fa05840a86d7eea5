import type { User } from '../domain.js';

/** Salted, memory-hard password hashing. */
export interface PasswordHasher {
  hash(password: string): Promise<string>;
  verify(password: string, hash: string): Promise<boolean>;
  /** Burns the time of one verify, so that an unknown username answers as slowly as a wrong password. */
  verifyNothing(password: string): Promise<void>;
}

/** What a valid token says: whose it is, and when it was issued. */
export interface TokenClaims {
  userId: string;
  /** Milliseconds since the epoch. */
  issuedAt: number;
}

/** Signed, expiring bearer tokens. `verify` rejects with ChatError('unauthorized'). */
export interface Tokens {
  issue(user: User): Promise<string>;
  verify(token: string): Promise<TokenClaims>;
}
