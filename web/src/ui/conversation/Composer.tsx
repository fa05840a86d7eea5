import { useEffect, useRef, useState } from 'preact/hooks';
import { describeError } from '../../api/api-error.js';
import type { ChatClient } from '../../chat/chat-client.js';
import { commandMatches, completion } from '../../chat/command-menu.js';
import type { RoomState } from '../../chat/room-state.js';
import { TYPING_REPEAT_MS } from '../../chat/typing.js';
import type { ChatMessage } from '../../protocol.js';
import { mentionMatches, mentionQuery } from '../../text/mentions.js';
import { SendIcon } from '../common/icons.js';
import { CommandMenu, commandOptionId } from './CommandMenu.js';
import { ComposingBar } from './ComposingBar.js';
import { MentionMenu, mentionOptionId } from './MentionMenu.js';
import { RateLimitAlert } from './RateLimitAlert.js';

/** The tallest the message box grows before it scrolls, in pixels. */
const MAX_HEIGHT_PX = 180;

/**
 * The message box: Enter sends, Shift+Enter starts a new line. What is typed
 * survives a lost connection: the message waits as pending and goes out when
 * the socket is back. An unsent draft stays with its room.
 * Typing `/` offers the commands, and `@` the room's members to mention:
 * arrows move, Enter or Tab picks, Escape closes.
 * Replying shows the message answered above the box; editing puts one's
 * message in the box (Up in an empty box edits one's last), Enter saves,
 * Escape cancels, and the draft comes back afterwards.
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
  const composing = state.composing.value;
  const editing = composing?.kind === 'edit' ? composing.message : null;
  /** The draft set aside while a message is edited in the box. */
  const setAside = useRef<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const lastTyping = useRef(0);
  const [active, setActive] = useState(0);
  const [menuClosed, setMenuClosed] = useState(false);
  /** Where the cursor is in the box, for the `@name` being typed. */
  const [caret, setCaret] = useState(0);
  const matches = menuClosed ? [] : commandMatches(client.commands.value, text);
  const mention = menuClosed || matches.length > 0 ? null : mentionQuery(text, caret);
  const people = mention
    ? mentionMatches(state.members.value ?? [], mention.typed, client.me.id)
    : [];
  // One menu at a time, each a list of option keys: command names, or member ids.
  const options = matches.length > 0 ? matches.map((c) => c.name) : people.map((m) => m.id);
  const highlighted = options[Math.min(active, options.length - 1)];
  const menuId = matches.length > 0 ? 'command-menu' : 'mention-menu';
  const optionId = matches.length > 0 ? commandOptionId : mentionOptionId;

  useEffect(() => {
    // Opening a room puts the cursor in its box, except on touch screens where it would pop a keyboard.
    if (window.matchMedia('(pointer: fine)').matches) box.current?.focus();
  }, [state.roomId]);

  // Editing starts with the message's text in the box; the draft waits until it ends.
  const editingId = editing?.id;
  useEffect(() => {
    setProblem(null);
    if (!editingId || !editing) return;
    setAside.current ??= state.draft.value;
    state.draft.value = editing.message;
    const el = box.current;
    el?.focus();
    requestAnimationFrame(() => el?.setSelectionRange(el.value.length, el.value.length));
  }, [editingId]);

  const endComposing = () => {
    if (editing) {
      state.draft.value = setAside.current ?? '';
      setAside.current = null;
    }
    state.composing.value = null;
    setProblem(null);
  };

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    el.style.height = 'auto';
    el.style.height = `${Math.min(el.scrollHeight, MAX_HEIGHT_PX)}px`;
  }, [text]);

  const send = () => {
    if (text.trim().length === 0) return;
    if (editing) {
      saveEdit(editing, text);
      return;
    }
    client.outbox.send(
      state.roomId,
      text,
      composing?.kind === 'reply' ? composing.message : undefined,
    );
    state.composing.value = null;
    setText('');
    lastTyping.current = 0;
  };

  const saveEdit = (message: ChatMessage, value: string) => {
    if (value === message.message) {
      endComposing();
      return;
    }
    setProblem(null);
    client.actions.edit(message, value).then(
      () => {
        if (state.composing.value?.message.id === message.id) endComposing();
      },
      (err: unknown) => setProblem(`Couldn't save the edit: ${describeError(err)}`),
    );
  };

  /** Up in an empty box edits one's newest message, as in most chat apps. */
  const editLast = (): boolean => {
    const mine = [...state.messages.value]
      .reverse()
      .find((m) => m.type === 'chat' && m.memberId === client.me.id && !m.deleted);
    if (!mine) return false;
    state.composing.value = { kind: 'edit', message: mine };
    return true;
  };

  const pick = (key: string) => {
    const command = matches.find((c) => c.name === key);
    const person = people.find((m) => m.id === key);
    if (command) {
      setText(completion(command));
    } else if (person && mention) {
      // `@name ` in place of what was typed after the `@`; the cursor goes after it.
      const inserted = `@${person.name} `;
      const value = text.slice(0, mention.start) + inserted + text.slice(caret);
      const at = mention.start + inserted.length;
      setText(value);
      setCaret(at);
      requestAnimationFrame(() => box.current?.setSelectionRange(at, at));
    } else {
      return;
    }
    setActive(0);
    box.current?.focus();
  };

  const onMenuKey = (event: KeyboardEvent): boolean => {
    if (!highlighted) return false;
    const step = { ArrowDown: 1, ArrowUp: -1 }[event.key];
    if (step !== undefined) {
      setActive((options.indexOf(highlighted) + step + options.length) % options.length);
    } else if ((event.key === 'Enter' && !event.shiftKey) || event.key === 'Tab') {
      pick(highlighted);
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
    if (event.key === 'Escape' && composing) {
      event.preventDefault();
      endComposing();
      return;
    }
    if (event.key === 'ArrowUp' && text === '' && !composing && editLast()) {
      event.preventDefault();
      return;
    }
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      send();
    }
  };

  const onInput = (value: string, cursor: number) => {
    setText(value);
    setCaret(cursor);
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
      {composing && (
        <ComposingBar composing={composing} onCancel={endComposing} problem={problem} />
      )}
      {highlighted && matches.length > 0 && (
        <CommandMenu commands={matches} active={highlighted} onPick={pick} />
      )}
      {highlighted && matches.length === 0 && (
        <MentionMenu members={people} active={highlighted} onPick={pick} />
      )}
      <div class="composer-row">
        <label for="composer-input" class="visually-hidden">
          Message
        </label>
        <textarea
          id="composer-input"
          ref={box}
          rows={1}
          placeholder={editing ? 'Edit your message' : `Message ${roomName}`}
          enterkeyhint="send"
          aria-autocomplete="list"
          aria-controls={highlighted ? menuId : undefined}
          aria-activedescendant={highlighted ? optionId(highlighted) : undefined}
          value={text}
          onInput={(e) => onInput(e.currentTarget.value, e.currentTarget.selectionStart)}
          onKeyDown={onKeyDown}
          onKeyUp={(e) => setCaret(e.currentTarget.selectionStart)}
          onClick={(e) => setCaret(e.currentTarget.selectionStart)}
        />
        <button
          type="submit"
          class="send-button"
          aria-label={editing ? 'Save edit' : 'Send'}
          title={editing ? 'Save (Enter)' : 'Send (Enter)'}
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
