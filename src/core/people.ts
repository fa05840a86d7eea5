import type { User } from './domain.js';
import { ChatError } from './errors.js';
import type { Store } from './ports/store.js';

/**
 * The longest id of a room or user that is looked up. Ids are UUIDs (36
 * characters): a longer string names nothing, and is answered as not found
 * without a query.
 */
export const ID_MAX_LENGTH = 256;

/** Someone named in a request body: by username (accounts) or by id (anyone). */
export interface PersonRef {
  username?: string | undefined;
  userId?: string | undefined;
}

/**
 * The named user, or ChatError('user_not_found'); exactly one of username and
 * userId. A guest who signed out is gone for good (a guest has no password to
 * come back with): not found either.
 */
export async function findPerson(store: Store, ref: PersonRef): Promise<User> {
  if (ref.username === undefined && ref.userId === undefined) {
    throw new ChatError('invalid_request', 'body must have username or userId.');
  }
  if (ref.username !== undefined && ref.userId !== undefined) {
    throw new ChatError('invalid_request', 'Name the user by username or by userId, not both.');
  }
  if (ref.userId !== undefined) {
    const user =
      ref.userId.length <= ID_MAX_LENGTH ? await store.getSessionUser(ref.userId) : undefined;
    if (!user || (user.guest && user.signedOutAt !== undefined)) {
      throw new ChatError('user_not_found');
    }
    return { id: user.id, name: user.name, guest: user.guest };
  }
  const username = ref.username as string;
  const account = username.length <= ID_MAX_LENGTH ? await store.findAccount(username) : undefined;
  if (!account) throw new ChatError('user_not_found');
  return { id: account.id, name: account.name, guest: false };
}

/** The other member of a direct room's pair. */
export function peerOf(pair: readonly [string, string], userId: string): string {
  return pair[0] === userId ? pair[1] : pair[0];
}
