import type { ChatClient } from '../../chat/chat-client.js';
import type { RoomState } from '../../chat/room-state.js';

/**
 * Beside the message box when the server said "slow down": how long to wait,
 * and one button that sends every held-back message again, in order.
 */
export function RateLimitAlert({ client, state }: { client: ChatClient; state: RoomState }) {
  const limited = state.pending.value.filter(
    (p) => p.status === 'failed' && p.error?.code === 'rate_limited',
  );
  if (limited.length === 0) return null;
  const waitMs = Math.max(...limited.map((p) => p.error?.retryAfterMs ?? 1000));
  const seconds = Math.max(1, Math.ceil(waitMs / 1000));
  const retryAll = () => {
    for (const p of limited) client.outbox.retry(p.clientId);
  };
  return (
    <div class="composer-alert" role="alert">
      <span>
        You're sending messages too fast.{' '}
        {limited.length === 1 ? 'One message was' : `${limited.length} messages were`} held back;
        wait {seconds} s, then retry.
      </span>
      <button type="button" class="button button--small" onClick={retryAll}>
        Retry
      </button>
    </div>
  );
}
