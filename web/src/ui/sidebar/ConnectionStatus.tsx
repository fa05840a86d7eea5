import { useEffect, useState } from 'preact/hooks';
import type { ConnectionState } from '../../net/chat-socket.js';

/** Words for the connection's state, with a countdown while waiting to retry. */
export function connectionLabel(state: ConnectionState, now: number): string {
  switch (state.status) {
    case 'online':
      return 'Connected';
    case 'connecting':
      return state.attempt === 0 ? 'Connecting…' : 'Reconnecting…';
    case 'waiting': {
      const seconds = Math.max(1, Math.ceil((state.retryAt - now) / 1000));
      return `Offline · retrying in ${seconds} s`;
    }
  }
}

/** Re-renders every second while a countdown is showing. */
export function useNow(active: boolean): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [active]);
  return now;
}

function shortLabel(state: ConnectionState): string {
  if (state.status === 'online') return 'Online';
  if (state.status === 'waiting') return 'Offline';
  return state.attempt === 0 ? 'Connecting' : 'Reconnecting';
}

/** A dot and a word: always visible in the sidebar header; the banner has the details. */
export function ConnectionStatus({ state }: { state: ConnectionState }) {
  const now = useNow(state.status === 'waiting');
  return (
    <span class={`status status--${state.status}`} data-testid="connection-status">
      <span class="status-dot" aria-hidden="true" />
      <span class="status-label" aria-hidden="true">
        {shortLabel(state)}
      </span>
      <span class="visually-hidden">{connectionLabel(state, now)}</span>
    </span>
  );
}
