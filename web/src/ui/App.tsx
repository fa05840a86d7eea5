import { useEffect } from 'preact/hooks';
import { session, verifyStoredSession } from '../session/session.js';
import { AuthScreen } from './auth/AuthScreen.js';
import { ChatApp } from './ChatApp.js';

export function App() {
  useEffect(() => {
    void verifyStoredSession();
  }, []);
  const current = session.value;
  // A new token is a new client: keyed so that nothing of the last session survives.
  return current ? <ChatApp key={current.token} session={current} /> : <AuthScreen />;
}
