import { useState } from 'preact/hooks';
import type { Problem } from '../../chat/room-state.js';
import type { ChatMessage } from '../../protocol.js';
import { clockTime, fullTime } from '../../text/time.js';
import { Avatar } from '../common/Avatar.js';
import { RichText } from '../common/RichText.js';

/**
 * A chat or bot message: others on the left under their name, one's own on
 * the right. An article labelled with its author and time, which the arrow
 * keys move to (`data-nav`); its links are Tab stops only while it is the
 * one the keyboard is on (`active`). A bot's message is in its own colours,
 * tagged "bot" (red where it failed); a command that got no answer says so under it.
 */
export function MessageItem({
  message,
  own,
  continued,
  active,
  commandError,
  me,
  names,
  blocked = false,
}: {
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
  const bot = message.type === 'bot' || message.type === 'failed';
  const author = own ? 'You' : message.memberName;
  const classes = [
    'msg',
    own ? 'msg--own' : 'msg--other',
    continued && 'msg--continued',
    bot && 'msg--bot',
    message.type === 'failed' && 'msg--bot-failed',
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
        {blocked && !shown ? (
          <p class="msg-hidden">
            Hidden: you blocked {message.memberName}.{' '}
            <button type="button" class="link-button" onClick={() => setShown(true)}>
              Show message
            </button>
          </p>
        ) : (
          <div class="bubble" title={continued ? fullTime(message.sent) : undefined}>
            <RichText text={message.message} tabbable={active} me={me} names={names} />
          </div>
        )}
        {commandError && (
          <p class="msg-status msg-command-error" role="status">
            {commandError.message}
          </p>
        )}
      </div>
    </article>
  );
}

/** "alice joined the room": small, centred, apart from the conversation. */
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
        <RichText text={message.message} tabbable={active} />
        <span aria-hidden="true"> · </span>
        <time dateTime={message.sent} title={fullTime(message.sent)}>
          {clockTime(message.sent)}
        </time>
      </span>
    </article>
  );
}
