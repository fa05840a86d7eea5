import { PASSWORD_MAX, PASSWORD_MIN, USERNAME_PATTERN } from './accounts.js';
import type { Room, User } from './domain.js';
import { ChatError } from './errors.js';
import type { PasswordHasher } from './ports/auth.js';
import type { NodeNotices } from './ports/bus.js';
import type { Store } from './ports/store.js';

/**
 * The operator's tasks (`confab user ban`, `user reset-password`, `room
 * delete`): each is stored first, then told to every node, which closes the
 * user's connections or tells the room's.
 */
export class Moderation {
  constructor(
    private readonly store: Store,
    private readonly hasher: PasswordHasher,
    private readonly notices: NodeNotices,
  ) {}

  /** An account by username (any case), or any user, a guest included, by id. */
  async findUser(nameOrId: string): Promise<User> {
    const account = USERNAME_PATTERN.test(nameOrId)
      ? await this.store.findAccount(nameOrId)
      : undefined;
    const user = account ?? (await this.store.getUser(nameOrId));
    if (!user) throw new ChatError('user_not_found', `No user named or with the id "${nameOrId}".`);
    return { id: user.id, name: user.name, guest: user.guest };
  }

  /**
   * Refuses the user's tokens at once and for good (until `unban`), and their
   * logins with `account_banned`; every node closes their connections with
   * 4401. Their messages stay.
   */
  async ban(nameOrId: string): Promise<User> {
    const user = await this.findUser(nameOrId);
    await this.store.setBanned(user.id, Date.now());
    await this.notices.sessionsEnded(user.id, 'banned');
    return user;
  }

  /** Lifts a ban: the user may log in again (tokens from before the ban stay refused). */
  async unban(nameOrId: string): Promise<User> {
    const user = await this.findUser(nameOrId);
    await this.store.setBanned(user.id, null);
    return user;
  }

  /** A new password for an account; every token issued before it is refused and its connections close. */
  async resetPassword(nameOrId: string, password: string): Promise<User> {
    if (password.length < PASSWORD_MIN || password.length > PASSWORD_MAX) {
      throw new ChatError(
        'invalid_request',
        `A password is ${PASSWORD_MIN} to ${PASSWORD_MAX} characters.`,
      );
    }
    const user = await this.findUser(nameOrId);
    if (user.guest) throw new ChatError('invalid_request', 'A guest has no password.');
    if (!(await this.store.setPassword(user.id, await this.hasher.hash(password), Date.now()))) {
      throw new ChatError('user_not_found');
    }
    await this.notices.sessionsEnded(user.id, 'password_reset');
    return user;
  }

  /**
   * Deletes a room with its messages and memberships. Connections joined to it
   * and its members' connections are told (`room_deleted`) on every node; it
   * answers `room_not_found` from then on.
   */
  async deleteRoom(roomId: string): Promise<Room> {
    const room = await this.store.getRoom(roomId);
    if (!room) throw new ChatError('room_not_found', `No room with the id "${roomId}".`);
    // Read before the rows go: a private room's members are the ones to tell.
    const audience =
      room.visibility === 'public'
        ? undefined
        : (await this.store.members(roomId)).map((m) => m.id);
    if (!(await this.store.deleteRoom(roomId))) throw new ChatError('room_not_found');
    await this.notices.roomDeleted(roomId, audience);
    return room;
  }
}
