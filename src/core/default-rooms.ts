import type { Store } from './ports/store.js';
import { ROOM_NAME_MAX } from './rooms.js';

/**
 * Makes the public rooms named in DEFAULT_ROOMS, once per store, however
 * many nodes start at once: each room's id is derived from its name, so the
 * store's primary key lets only one node create it, and the others find it.
 * Returns the names it created (none on later starts). A deleted default
 * room is made again at the next start while DEFAULT_ROOMS names it.
 */
export async function ensureDefaultRooms(
  store: Store,
  names: readonly string[],
): Promise<string[]> {
  const created: string[] = [];
  for (const raw of names) {
    const name = raw.slice(0, ROOM_NAME_MAX);
    const id = await defaultRoomId(name);
    if (await store.getRoom(id)) continue;
    try {
      await store.createRoom({
        id,
        name,
        visibility: 'public',
        createdBy: null,
        createdAt: new Date().toISOString(),
      });
      created.push(name);
    } catch (err) {
      // Another node made it between the look-up and the insert.
      if (!(await store.getRoom(id))) throw err;
    }
  }
  return created;
}

/** A UUID (version 8, RFC 9562) from the SHA-256 of the name, lower-cased. */
export async function defaultRoomId(name: string): Promise<string> {
  const data = new TextEncoder().encode(`confab default room:${name.toLowerCase()}`);
  const bytes = new Uint8Array(await crypto.subtle.digest('SHA-256', data)).slice(0, 16);
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x80;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
