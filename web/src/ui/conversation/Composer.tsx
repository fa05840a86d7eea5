import { useEffect, useRef, useState } from 'preact/hooks';
import type { ChatClient } from '../../chat/chat-client.js';
import { commandMatches, completion } from '../../chat/command-menu.js';
import type { RoomState } from '../../chat/room-state.js';
import { TYPING_REPEAT_MS } from '../../chat/typing.js';
import { SendIcon } from '../common/icons.js';
import { CommandMenu, commandOptionId } from './CommandMenu.js';
import { RateLimitAlert } from './RateLimitAlert.js';

/** The tallest the message box grows before it scrolls, in pixels. */
const MAX_HEIGHT_PX = 180;

/**
 * The message box: Enter sends, Shift+Enter starts a new line. What is typed
 * survives a lost connection: the message waits as pending and goes out when
 * the socket is back. An unsent draft stays with its room.
 * Typing `/` offers the commands: arrows move, Enter or
 * Tab picks, Escape closes.
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
  const [active, setActive] = useState(0);
  const [menuClosed, setMenuClosed] = useState(false);
  const matches = menuClosed ? [] : commandMatches(client.commands.value, text);
  const highlighted = matches[Math.min(active, matches.length - 1)];

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

  const pick = (name: string) => {
    const command = matches.find((c) => c.name === name);
    if (!command) return;
    setText(completion(command));
    setActive(0);
    box.current?.focus();
  };

  const onMenuKey = (event: KeyboardEvent): boolean => {
    if (!highlighted) return false;
    const step = { ArrowDown: 1, ArrowUp: -1 }[event.key];
    if (step !== undefined) {
      setActive((matches.indexOf(highlighted) + step + matches.length) % matches.length);
    } else if ((event.key === 'Enter' && !event.shiftKey) || event.key === 'Tab') {
      pick(highlighted.name);
    } else if (event.key === 'Escape') {
      setMenuClosed(true);
    } else {
      return false;
    }
    event.preventDefault();
    return true;
  };

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.isComposing || onMenuKey(event)) return;
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      send();
    }
  };

  const onInput = (value: string) => {
    setText(value);
    setMenuClosed(false);
    setActive(0);
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
      {highlighted && <CommandMenu commands={matches} active={highlighted.name} onPick={pick} />}
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
          aria-autocomplete="list"
          aria-controls={highlighted ? 'command-menu' : undefined}
          aria-activedescendant={highlighted ? commandOptionId(highlighted.name) : undefined}
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
