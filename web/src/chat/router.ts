import { signal } from '@preact/signals';

/**
 * Where the user is, kept in the URL's hash (`#/room/<id>`) so that a reload
 * or a shared link opens the same room, and the server needs no page routes.
 */
export type Route = { page: 'home' } | { page: 'room'; roomId: string };

export const route = signal<Route>(parse(location.hash));

window.addEventListener('hashchange', () => {
  route.value = parse(location.hash);
});

export function roomHref(roomId: string): string {
  return `#/room/${encodeURIComponent(roomId)}`;
}

export function goToRoom(roomId: string): void {
  location.hash = roomHref(roomId);
}

export function goHome(): void {
  location.hash = '#/';
}

function parse(hash: string): Route {
  const match = /^#\/room\/([^/]+)$/.exec(hash);
  if (!match?.[1]) return { page: 'home' };
  try {
    return { page: 'room', roomId: decodeURIComponent(match[1]) };
  } catch {
    return { page: 'home' };
  }
}
