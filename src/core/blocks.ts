import type { User } from './domain.js';
import { ChatError } from './errors.js';
import { ID_MAX_LENGTH } from './people.js';
import type { Store } from './ports/store.js';

/**
 * Blocking: a user blocked by another cannot open or write to their direct
 * room, nor add them to a room (each refused with `blocked`, nothing stored).
 * The rule itself is checked where those happen (DirectRooms, Groups, Chat).
 */
export class Blocks {
  constructor(private readonly store: Store) {}

  async block(user: User, userId: string): Promise<void> {
    await this.target(user, userId);
    await this.store.block(user.id, userId);
  }

  async unblock(user: User, userId: string): Promise<void> {
    await this.target(user, userId);
    await this.store.unblock(user.id, userId);
  }

  async list(user: User): Promise<Array<{ id: string; name: string }>> {
    return (await this.store.blocked(user.id)).map((u) => ({ id: u.id, name: u.name }));
  }

  private async target(user: User, userId: string): Promise<void> {
    if (userId === user.id) throw new ChatError('invalid_request', 'You cannot block yourself.');
    if (userId.length > ID_MAX_LENGTH || !(await this.store.getUser(userId))) {
      throw new ChatError('user_not_found');
    }
  }
}
