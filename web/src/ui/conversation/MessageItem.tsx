import type { ChatMessage } from '../../protocol.js';
import { clockTime, fullTime } from '../../text/time.js';
import { Avatar } from '../common/Avatar.js';
import { RichText } from '../common/RichText.js';

/** A chat or bot message: others on the left under their name, one's own on the right. */
export function MessageItem({
  message,
  own,
  continued,
}: {
  message: ChatMessage;
  own: boolean;
  continued: boolean;
}) {
  const bot = message.type === 'bot';
  const classes = [
    'msg',
    own ? 'msg--own' : 'msg--other',
    continued && 'msg--continued',
    bot && 'msg--bot',
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
