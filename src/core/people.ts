import { ChatError } from './errors.js';
import type { Store, User } from './ports/store.js';

/** Someone named in a request body: by username (accounts) or by id (anyone). */
export interface PersonRef {
  username?: string | undefined;
  userId?: string | undefined;
}

/** The named user, or ChatError('user_not_found'); exactly one of username and userId. */
export async function findPerson(store: Store, ref: PersonRef): Promise<User> {
  if ((ref.username === undefined) === (ref.userId === undefined)) {
    throw new ChatError('invalid_request', 'Name the user by username or by userId, not both.');
  }
  if (ref.userId !== undefined) {
    const user = await store.getUser(ref.userId);
    if (!user) throw new ChatError('user_not_found');
    return user;
  }
  const account = await store.findAccount(ref.username as string);
  if (!account) throw new ChatError('user_not_found');
  return { id: account.id, name: account.name, guest: false };
}

/** The other member of a direct room's pair. */
export function peerOf(pair: readonly [string, string], userId: string): string {
  return pair[0] === userId ? pair[1] : pair[0];
}
