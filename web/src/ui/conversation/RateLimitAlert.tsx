import { useEffect, useState } from 'preact/hooks';
import type { ChatClient } from '../../chat/chat-client.js';
import { isHeld } from '../../chat/pending.js';
import type { RoomState } from '../../chat/room-state.js';

/** How often the countdown is redrawn, in ms: often enough that no second is skipped. */
const TICK_MS = 250;

/**
 * Beside the message box when the server said "slow down": one notice for
 * every held-back message, counting down to when they go out again by
 * themselves (in order), with buttons to try at once or to drop them.
 */
export function RateLimitAlert({ client, state }: { client: ChatClient; state: RoomState }) {
  const held = state.pending.value.filter(isHeld);
  const [now, setNow] = useState(() => Date.now());
  const holding = held.length > 0;

  useEffect(() => {
    if (!holding) return;
    const timer = setInterval(() => setNow(Date.now()), TICK_MS);
    return () => clearInterval(timer);
  }, [holding]);

  if (!holding) return null;
  const next = Math.min(...held.map((p) => p.error?.retryAt ?? now));
  const seconds = Math.ceil((next - now) / 1000);
  return (
    <div class="composer-alert" role="alert">
      <span>
        You're sending messages too fast.{' '}
        {held.length === 1 ? 'One message is' : `${held.length} messages are`} held back,{' '}
        {seconds > 0 ? `sending again in ${seconds} s.` : 'sending again now.'}
      </span>
      <button
        type="button"
        class="button button--small"
        onClick={() => client.outbox.sendHeld(state.roomId)}
      >
        Retry now
      </button>
      <button
        type="button"
        class="button button--small button--quiet"
        onClick={() => {
          for (const p of held) client.outbox.discard(p.clientId);
        }}
      >
        Discard
      </button>
    </div>
  );
}
