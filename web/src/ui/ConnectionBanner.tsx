import type { ConnectionState } from '../net/chat-socket.js';
import { connectionLabel, useNow } from './sidebar/ConnectionStatus.js';

/** Across the top of the conversation while the connection is down: what happens, and a retry. */
export function ConnectionBanner({
  state,
  onRetry,
}: {
  state: ConnectionState;
  onRetry: () => void;
}) {
  const now = useNow(state.status === 'waiting');
  if (state.status === 'online') return null;
  if (state.status === 'connecting' && state.attempt === 0) return null;
  return (
    <div class="connection-banner" role="status" data-testid="connection-banner">
      <span class="status-dot" aria-hidden="true" />
      <span>
        {state.status === 'waiting' && <strong>{state.reason} </strong>}
        {connectionLabel(state, now)}. Messages you send now go out when it is back.
      </span>
      {state.status === 'waiting' && (
        <button type="button" class="button button--small" onClick={onRetry}>
          Retry now
        </button>
      )}
    </div>
  );
}
