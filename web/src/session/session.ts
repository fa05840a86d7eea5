import { signal } from '@preact/signals';
import { ApiError } from '../api/api-error.js';
import { api, type Session } from '../api/endpoints.js';
import {
  clearSession,
  loadSession,
  onSessionChangedElsewhere,
  saveSession,
} from './session-storage.js';

/** The signed-in user and token, or null on the sign-in screen. */
export const session = signal<Session | null>(loadSession());

/** Why the last session ended, when the user did not choose it (an expired token). */
export const sessionNotice = signal<string | null>(null);

export function signIn(next: Session): void {
  saveSession(next);
  sessionNotice.value = null;
  session.value = next;
}

export function signOut(notice: string | null = null): void {
  clearSession();
  sessionNotice.value = notice;
  session.value = null;
}

/**
 * Checks a stored token once at start. A token the server refuses ends the
 * session; an unreachable server does not (the socket keeps retrying).
 */
export async function verifyStoredSession(): Promise<void> {
  const current = session.value;
  if (!current) return;
  try {
    const { user } = await api.me(current.token);
    const unchanged = JSON.stringify(user) === JSON.stringify(current.user);
    // Same token, same user: keep the session object, so that nothing restarts.
    if (session.value?.token === current.token && !unchanged)
      signIn({ token: current.token, user });
  } catch (err) {
    if (err instanceof ApiError && err.code === 'unauthorized') {
      signOut('Your session has expired. Please sign in again.');
    }
  }
}

onSessionChangedElsewhere((next) => {
  if (next?.token !== session.value?.token) session.value = next;
});
