import { useEffect, useRef } from 'preact/hooks';
import type { ChatClient } from '../../chat/chat-client.js';
import type { RoomState } from '../../chat/room-state.js';
import { TYPING_REPEAT_MS } from '../../chat/typing.js';
import { SendIcon } from '../common/icons.js';
import { RateLimitAlert } from './RateLimitAlert.js';

/** The tallest the message box grows before it scrolls, in pixels. */
const MAX_HEIGHT_PX = 180;

/**
 * The message box: Enter sends, Shift+Enter starts a new line. What is typed
 * survives a lost connection: the message waits as pending and goes out when
 * the socket is back. An unsent draft stays with its room.
 */
export function Composer({
  client,
  state,
  roomName,
}: {
  client: ChatClient;
  state: RoomState;
  roomName: string;
}) {
  // The draft lives in the room's state, so switching rooms and back keeps it.
  const text = state.draft.value;
  const setText = (value: string) => {
    state.draft.value = value;
  };
  const box = useRef<HTMLTextAreaElement>(null);
  const lastTyping = useRef(0);

  useEffect(() => {
    // Opening a room puts the cursor in its box, except on touch screens where it would pop a keyboard.
    if (window.matchMedia('(pointer: fine)').matches) box.current?.focus();
  }, [state.roomId]);

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    el.style.height = 'auto';
    el.style.height = `${Math.min(el.scrollHeight, MAX_HEIGHT_PX)}px`;
  }, [text]);

  const send = () => {
    if (text.trim().length === 0) return;
    client.outbox.send(state.roomId, text);
    setText('');
    lastTyping.current = 0;
  };

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      send();
    }
  };

  const onInput = (value: string) => {
    setText(value);
    const now = Date.now();
    if (value.trim() && now - lastTyping.current > TYPING_REPEAT_MS) {
      lastTyping.current = now;
      client.typing(state.roomId);
    }
  };

  return (
    <form
      class="composer"
      onSubmit={(event) => {
        event.preventDefault();
        send();
      }}
    >
      <RateLimitAlert client={client} state={state} />
      <div class="composer-row">
        <label for="composer-input" class="visually-hidden">
          Message
        </label>
        <textarea
          id="composer-input"
          ref={box}
          rows={1}
          placeholder={`Message ${roomName}`}
          enterkeyhint="send"
          value={text}
          onInput={(e) => onInput(e.currentTarget.value)}
          onKeyDown={onKeyDown}
        />
        <button
          type="submit"
          class="send-button"
          aria-label="Send"
          title="Send (Enter)"
          disabled={text.trim().length === 0}
        >
          <SendIcon />
        </button>
      </div>
      <p class="composer-hint" aria-hidden="true">
        <kbd>Enter</kbd> to send · <kbd>Shift</kbd>+<kbd>Enter</kbd> for a new line
      </p>
    </form>
  );
}
