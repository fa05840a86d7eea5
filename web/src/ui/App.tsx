import { useEffect } from 'preact/hooks';
import { session, verifyStoredSession } from '../session/session';
import { AuthScreen } from './auth/AuthScreen';
import { ChatApp } from './ChatApp';

export function App() {
  useEffect(() => {
    void verifyStoredSession();
  }, []);
  const current = session.value;
  // A new token is a new client: keyed so that nothing of the last session survives.
  return current ? <ChatApp key={current.token} session={current} /> : <AuthScreen />;
}
