import type { UserView } from '../protocol/message.js';
import type { User } from './domain.js';
import { ChatError } from './errors.js';
import { readableName } from './names.js';
import type { PasswordHasher, Tokens } from './ports/auth.js';
import type { NodeNotices } from './ports/bus.js';
import type { Store } from './ports/store.js';

export const USERNAME_PATTERN = /^[A-Za-z0-9_.-]{3,32}$/;
export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 128;

export interface Session {
  user: UserView;
  token: string;
}

/** Signup, login, guests, and turning a token back into a user. */
export class Accounts {
  constructor(
    private readonly store: Store,
    private readonly hasher: PasswordHasher,
    private readonly tokens: Tokens,
    /** Tells every node of a sign-out, so that they close the user's connections. */
    private readonly notices?: Pick<NodeNotices, 'sessionsEnded'>,
  ) {}

  async signup(username: string, password: string): Promise<Session> {
    if (!USERNAME_PATTERN.test(username)) {
      throw new ChatError(
        'invalid_request',
        'A username is 3 to 32 letters, digits, underscores, dots or hyphens.',
      );
    }
    if (password.length < PASSWORD_MIN || password.length > PASSWORD_MAX) {
      throw new ChatError(
        'invalid_request',
        `A password is ${PASSWORD_MIN} to ${PASSWORD_MAX} characters.`,
      );
    }
    const user: User = { id: crypto.randomUUID(), name: username, guest: false };
    await this.store.createUser(user, await this.hasher.hash(password));
    return this.session(user);
  }

  async login(username: string, password: string): Promise<Session> {
    const account = USERNAME_PATTERN.test(username)
      ? await this.store.findAccount(username)
      : undefined;
    if (!account) {
      await this.hasher.verifyNothing(password);
      throw new ChatError('invalid_credentials');
    }
    if (!(await this.hasher.verify(password, account.passwordHash))) {
      throw new ChatError('invalid_credentials');
    }
    // Said only to whoever knows the password: a ban is no secret from its owner.
    if (account.banned) throw new ChatError('account_banned');
    return this.session({ id: account.id, name: account.name, guest: false });
  }

  /** A guest with a token (POST /api/guest): stored at once, since the token names it from then on. */
  async guest(): Promise<Session> {
    const user = this.unsavedGuest();
    await this.saveGuest(user);
    return this.session(user);
  }

  /**
   * A guest for a tokenless connection, not stored yet: most such connections
   * never do anything that lasts (or are refused), and a row each would be a
   * write per connect. The connection stores it with saveGuest before its
   * first lasting act.
   */
  unsavedGuest(): User {
    return { id: crypto.randomUUID(), name: readableName(), guest: true };
  }

  saveGuest(user: User): Promise<void> {
    return this.store.createUser(user, null);
  }

  /**
   * Rejects with ChatError('unauthorized') for a bad, expired or unsigned
   * token, and for a good one whose user no longer exists or has signed out
   * since it was issued. The name is the stored one, not the token's.
   */
  async authenticate(token: string): Promise<User> {
    const claims = await this.tokens.verify(token);
    const user = await this.store.getSessionUser(claims.userId);
    if (!user) throw new ChatError('unauthorized', 'The token names no user.');
    if (user.bannedAt !== undefined) throw new ChatError('unauthorized', 'The account is banned.');
    if (user.signedOutAt !== undefined && claims.issuedAt <= user.signedOutAt) {
      throw new ChatError('unauthorized', 'The token was signed out.');
    }
    return { id: user.id, name: user.name, guest: user.guest };
  }

  /**
   * Signs the user out everywhere: every token issued so far is refused from
   * now on, and every node closes the user's open connections.
   */
  async signOut(user: User): Promise<void> {
    await this.store.signOut(user.id, Date.now());
    await this.notices?.sessionsEnded(user.id, 'signed_out');
  }

  private async session(user: User): Promise<Session> {
    return { user: toUserView(user), token: await this.tokens.issue(user) };
  }
}

export function toUserView(user: User): UserView {
  return user.guest
    ? { id: user.id, name: user.name, guest: true }
    : { id: user.id, name: user.name };
}
