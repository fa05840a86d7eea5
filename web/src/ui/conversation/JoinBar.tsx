import type { ChatClient } from '../../chat/chat-client.js';
import type { RoomState } from '../../chat/room-state.js';

/** In place of the message box while the user only looks at a public room. */
export function JoinBar({
  client,
  state,
  roomName,
}: {
  client: ChatClient;
  state: RoomState;
  roomName: string;
}) {
  const unknown = state.membership.value === 'unknown';
  return (
    <div class="join-bar">
      <p>
        {unknown
          ? 'Checking your membership…'
          : `You are previewing ${roomName}. Join to take part.`}
      </p>
      <button
        type="button"
        class="button button--primary"
        disabled={unknown}
        onClick={() => client.join(state.roomId)}
      >
        Join room
      </button>
    </div>
  );
}
