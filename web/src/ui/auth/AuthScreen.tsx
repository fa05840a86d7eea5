import { useState } from 'preact/hooks';
import { describeError } from '../../api/api-error.js';
import { api, type Session } from '../../api/endpoints.js';
import { sessionNotice, signIn } from '../../session/session.js';
import { Logo } from '../common/icons.js';

type Mode = 'login' | 'signup';

/** Sign in, create an account, or continue as a guest. */
export function AuthScreen() {
  const [mode, setMode] = useState<Mode>('login');
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const run = async (call: () => Promise<Session>) => {
    setBusy(true);
    setError(null);
    try {
      signIn(await call());
    } catch (err) {
      setError(describeError(err));
      setBusy(false);
    }
  };

  const submit = (event: Event) => {
    event.preventDefault();
    void run(() =>
      mode === 'login'
        ? api.login(username.trim(), password)
        : api.signup(username.trim(), password),
    );
  };

  const switchTo = (next: Mode) => {
    setMode(next);
    setError(null);
  };

  const notice = sessionNotice.value;
  return (
    <main class="auth">
      <div class="auth-card">
        <header class="auth-brand">
          <Logo size={44} />
          <div>
            <h1>Confab</h1>
            <p>Rooms for real-time conversation.</p>
          </div>
        </header>

        {notice && (
          <p class="notice" role="status">
            {notice}
          </p>
        )}

        <fieldset class="segmented">
          <legend class="visually-hidden">Sign in or create an account</legend>
          <button type="button" aria-pressed={mode === 'login'} onClick={() => switchTo('login')}>
            Sign in
          </button>
          <button type="button" aria-pressed={mode === 'signup'} onClick={() => switchTo('signup')}>
            Create account
          </button>
        </fieldset>

        <form class="form" onSubmit={submit} aria-describedby={error ? 'auth-error' : undefined}>
          <div class="field">
            <label for="auth-username">Username</label>
            <input
              id="auth-username"
              name="username"
              autocomplete="username"
              autocapitalize="none"
              spellcheck={false}
              required
              minLength={mode === 'signup' ? 3 : 1}
              maxLength={32}
              pattern={mode === 'signup' ? '[A-Za-z0-9_.\\-]{3,32}' : undefined}
              value={username}
              onInput={(e) => setUsername(e.currentTarget.value)}
              aria-describedby={mode === 'signup' ? 'auth-username-hint' : undefined}
            />
            {mode === 'signup' && (
              <p class="hint" id="auth-username-hint">
                3 to 32 letters, digits, or _ . -
              </p>
            )}
          </div>
          <div class="field">
            <label for="auth-password">Password</label>
            <input
              id="auth-password"
              name="password"
              type="password"
              autocomplete={mode === 'login' ? 'current-password' : 'new-password'}
              required
              minLength={mode === 'signup' ? 8 : 1}
              maxLength={128}
              value={password}
              onInput={(e) => setPassword(e.currentTarget.value)}
              aria-describedby={mode === 'signup' ? 'auth-password-hint' : undefined}
            />
            {mode === 'signup' && (
              <p class="hint" id="auth-password-hint">
                At least 8 characters.
              </p>
            )}
          </div>
          {error && (
            <p class="error" id="auth-error" role="alert">
              {error}
            </p>
          )}
          <button class="button button--primary button--block" type="submit" disabled={busy}>
            {mode === 'login' ? 'Sign in' : 'Create account'}
          </button>
        </form>

        <div class="divider">
          <span>or</span>
        </div>
        <button
          class="button button--block"
          type="button"
          disabled={busy}
          onClick={() => void run(api.guest)}
        >
          Continue as a guest
        </button>
        <p class="hint auth-footnote">A guest gets a random name and can't sign in again later.</p>
      </div>
    </main>
  );
}
