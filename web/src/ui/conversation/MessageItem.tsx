import { useState } from 'preact/hooks';
import { describeError } from '../../api/api-error.js';
import type { ChatClient } from '../../chat/chat-client.js';
import { mayAnswer, mayDelete, mayEdit, type Viewer } from '../../chat/permissions.js';
import { currentQuote } from '../../chat/reply-quote.js';
import type { Problem, RoomState } from '../../chat/room-state.js';
import type { ChatMessage } from '../../protocol.js';
import { clockTime, fullTime } from '../../text/time.js';
import { Avatar } from '../common/Avatar.js';
import { ConfirmDialog } from '../common/ConfirmDialog.js';
import { RichText } from '../common/RichText.js';
import { MessageToolbar } from './MessageToolbar.js';
import { QuoteLine } from './QuoteLine.js';
import { Reactions } from './Reactions.js';

/**
 * A chat or bot message: others on the left under their name, one's own on
 * the right. An article labelled with its author and time, which the arrow
 * keys move to (`data-nav`); its links are Tab stops only while it is the
 * one the keyboard is on (`active`). A bot's message is in its own colours,
 * tagged "bot" (red where it failed); a command that got no answer says so under it.
 * A reply shows what it answers above it; reactions go below; the toolbar
 * (react, reply, edit, delete) shows on hover and while focus is inside.
 * A deleted message keeps its place and says so.
 */
export function MessageItem({
  client,
  state,
  viewer,
  message,
  own,
  continued,
  active,
  marked = false,
  commandError,
  me,
  names,
  blocked = false,
}: {
  client: ChatClient;
  state: RoomState;
  viewer: Viewer;
  /** Brought into view on request: marked for a moment. */
  marked?: boolean;
  message: ChatMessage;
  own: boolean;
  continued: boolean;
  active: boolean;
  commandError?: Problem | undefined;
  /** The reader's name, to mark mentions of them; the room's member names. */
  me: string;
  names: readonly string[];
  /** Its author is someone the reader blocked: collapsed until asked for (a block does not stop group messages). */
  blocked?: boolean;
}) {
  const [shown, setShown] = useState(false);
  const [confirmingDelete, setConfirmingDelete] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const room = client.roomList.find(message.roomId);
  const editing = state.composing.value;
  const beingEdited = editing?.kind === 'edit' && editing.message.id === message.id;
  const act = (what: string, action: () => Promise<unknown>) => {
    setProblem(null);
    action().catch((err: unknown) => setProblem(`Couldn't ${what}: ${describeError(err)}`));
  };
  const react = mayAnswer(message, viewer)
    ? (emoji: string) =>
        act('react', () => client.actions.toggleReaction(message, emoji, client.me.id))
    : undefined;
  const reply = mayAnswer(message, viewer)
    ? () => {
        state.composing.value = { kind: 'reply', message };
        document.getElementById('composer-input')?.focus();
      }
    : undefined;
  const edit = mayEdit(message, viewer)
    ? () => {
        state.composing.value = { kind: 'edit', message };
        document.getElementById('composer-input')?.focus();
      }
    : undefined;
  const remove = mayDelete(message, viewer, room) ? () => setConfirmingDelete(true) : undefined;
  const quote = message.reply && currentQuote(message.reply, state.find(message.replyTo ?? ''));
  const bot = message.type === 'bot' || message.type === 'failed';
  const author = own ? 'You' : message.memberName;
  const classes = [
    'msg',
    own ? 'msg--own' : 'msg--other',
    continued && 'msg--continued',
    bot && 'msg--bot',
    message.type === 'failed' && 'msg--bot-failed',
    message.deleted && 'msg--deleted',
    beingEdited && 'msg--editing',
    marked && 'msg--marked',
  ]
    .filter(Boolean)
    .join(' ');
  return (
    <article
      class={classes}
      aria-label={`${author}${bot ? ' (bot)' : ''}, ${fullTime(message.sent)}`}
      tabIndex={-1}
      data-nav
      data-seq={message.seq}
      data-client-id={message.clientId}
      data-status="sent"
    >
      {!own && (
        <div class="msg-gutter">
          {!continued && <Avatar id={message.memberId} name={message.memberName} />}
        </div>
      )}
      <div class="msg-body">
        {!continued && (
          <div class="msg-meta">
            <span class="msg-author">{author}</span>
            {bot && <span class="tag">bot</span>}
            <time dateTime={message.sent} title={fullTime(message.sent)}>
              {clockTime(message.sent)}
            </time>
          </div>
        )}
        {quote && (
          <QuoteLine
            quote={quote}
            active={active}
            onOpen={() => void client.reveal(message.roomId, quote.seq)}
          />
        )}
        {message.deleted ? (
          <p class="bubble bubble--deleted">Message deleted</p>
        ) : blocked && !shown ? (
          <p class="msg-hidden">
            Hidden: you blocked {message.memberName}.{' '}
            <button type="button" class="link-button" onClick={() => setShown(true)}>
              Show message
            </button>
          </p>
        ) : (
          <div class="bubble" title={continued ? fullTime(message.sent) : undefined}>
            <RichText text={message.message} tabbable={active} me={me} names={names} />
            {message.edited && (
              <span class="msg-edited" title={`Edited ${fullTime(message.edited)}`}>
                {' '}
                (edited)
              </span>
            )}
          </div>
        )}
        {message.reactions && message.reactions.length > 0 && (
          <Reactions
            reactions={message.reactions}
            meId={client.me.id}
            active={active}
            onToggle={react}
          />
        )}
        {!message.deleted && (
          <MessageToolbar
            active={active}
            author={author}
            onReact={react}
            onReply={reply}
            onEdit={edit}
            onDelete={remove}
          />
        )}
        {problem && (
          <p class="msg-status msg-command-error" role="alert">
            {problem}
          </p>
        )}
        {commandError && (
          <p class="msg-status msg-command-error" role="status">
            {commandError.message}
          </p>
        )}
      </div>
      {confirmingDelete && (
        <ConfirmDialog
          title="Delete this message?"
          confirmLabel="Delete message"
          onConfirm={() => act('delete', () => client.actions.delete(message))}
          onClose={() => setConfirmingDelete(false)}
        >
          <p>
            {own ? 'It' : `${message.memberName}'s message`} is removed for everyone; this cannot be
            undone.
          </p>
        </ConfirmDialog>
      )}
    </article>
  );
}

/** "alice joined the room", "alice set the topic: …": small, centred, apart from the conversation. */
export function NoticeItem({ message, active }: { message: ChatMessage; active: boolean }) {
  return (
    <article
      class={`notice-line notice-line--${message.type}`}
      aria-label={`${message.memberName}, ${fullTime(message.sent)}`}
      tabIndex={-1}
      data-nav
      data-seq={message.seq}
      data-type={message.type}
    >
      <span>
        {message.type === 'topic' ? (
          message.message ? (
            <>
              {message.memberName} set the topic: <q>{message.message}</q>
            </>
          ) : (
            `${message.memberName} cleared the topic`
          )
        ) : (
          <RichText text={message.message} tabbable={active} />
        )}
        <span aria-hidden="true"> · </span>
        <time dateTime={message.sent} title={fullTime(message.sent)}>
          {clockTime(message.sent)}
        </time>
      </span>
    </article>
  );
}
