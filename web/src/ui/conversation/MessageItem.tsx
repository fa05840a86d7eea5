import type { Problem } from '../../chat/room-state.js';
import type { ChatMessage } from '../../protocol.js';
import { clockTime, fullTime } from '../../text/time.js';
import { Avatar } from '../common/Avatar.js';
import { RichText } from '../common/RichText.js';

/**
 * A chat or bot message: others on the left under their name, one's own on
 * the right; a bot's in its own colours, tagged "bot" (red where it failed).
 * A command that got no answer says so under it.
 */
export function MessageItem({
  message,
  own,
  continued,
  commandError,
}: {
  message: ChatMessage;
  own: boolean;
  continued: boolean;
  commandError?: Problem | undefined;
}) {
  const bot = message.type === 'bot' || message.type === 'failed';
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
    <div
      class={classes}
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
        {continued ? (
          <span class="visually-hidden">{own ? 'You' : message.memberName}:</span>
        ) : (
          <div class="msg-meta">
            <span class="msg-author">{own ? 'You' : message.memberName}</span>
            {bot && <span class="tag">bot</span>}
            <time dateTime={message.sent} title={fullTime(message.sent)}>
              {clockTime(message.sent)}
            </time>
          </div>
        )}
        <div class="bubble" title={continued ? fullTime(message.sent) : undefined}>
          <RichText text={message.message} />
        </div>
        {commandError && (
          <p class="msg-status msg-command-error" role="status">
            {commandError.message}
          </p>
        )}
      </div>
    </div>
  );
}

/** "alice joined the room": small, centred, apart from the conversation. */
export function NoticeItem({ message }: { message: ChatMessage }) {
  return (
    <div
      class={`notice-line notice-line--${message.type}`}
      data-seq={message.seq}
      data-type={message.type}
    >
      <span>
        <RichText text={message.message} />
        <span aria-hidden="true"> · </span>
        <time dateTime={message.sent} title={fullTime(message.sent)}>
          {clockTime(message.sent)}
        </time>
      </span>
    </div>
  );
}
