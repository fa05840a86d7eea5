import type { Session } from '../api/endpoints.js';

/**
 * The signed-in session lives in localStorage so that it survives reloads and
 * is shared by tabs. The trade-off (a script injected into this origin could
 * read it) is discussed in docs/web-client.md; the client never renders user
 * text as HTML and the page's CSP allows only its own scripts.
 */
const KEY = 'confab.session';

export function loadSession(): Session | null {
  try {
    const raw = localStorage.getItem(KEY);
    if (!raw) return null;
    const value = JSON.parse(raw) as Partial<Session>;
    if (typeof value.token !== 'string' || typeof value.user?.id !== 'string') return null;
    return value as Session;
  } catch {
    return null;
  }
}

export function saveSession(session: Session): void {
  try {
    localStorage.setItem(KEY, JSON.stringify(session));
  } catch {
    // Private mode or a full quota: the session still works until the tab closes.
  }
}

export function clearSession(): void {
  try {
    localStorage.removeItem(KEY);
  } catch {
    // Nothing stored, nothing to clear.
  }
}

/** Calls back when another tab signs in or out. */
export function onSessionChangedElsewhere(listener: (session: Session | null) => void): void {
  window.addEventListener('storage', (event) => {
    if (event.key === KEY || event.key === null) listener(loadSession());
  });
}
