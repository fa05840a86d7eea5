import { isHeld, type PendingMessage } from '../../chat/pending.js';
import { RichText } from '../common/RichText.js';
import { QuoteLine } from './QuoteLine.js';

/**
 * One's own message before the server's echo: "Sending…", or why it failed,
 * with a retry. One held back for sending too fast stays faded with no line
 * of its own: the notice above the message box speaks for all of them.
 */
export function PendingItem({
  pending,
  continued,
  online,
  onRetry,
  onDiscard,
  onEdit,
}: {
  pending: PendingMessage;
  continued: boolean;
  online: boolean;
  onRetry: () => void;
  onDiscard: () => void;
  /** Puts the text back in the message box, to change and send again. */
  onEdit: () => void;
}) {
  const held = isHeld(pending);
  const failed = pending.status === 'failed' && !held;
  // A content rule or the length limit refused the text: sent again, it would be refused again.
  const refused =
    pending.error?.code === 'message_rejected' || pending.error?.code === 'message_too_long';
  const status = failed
    ? `Not sent: ${pending.error?.message ?? 'the server refused it.'}`
    : online
      ? 'Sending…'
      : 'Waiting for the connection…';
  return (
    <div
      class={`msg msg--own msg--pending${failed ? ' msg--failed' : ''}${continued ? ' msg--continued' : ''}`}
      data-client-id={pending.clientId}
      data-status={pending.status}
    >
      <div class="msg-body">
        <span class="visually-hidden">You:</span>
        {pending.replyTo && <QuoteLine quote={pending.replyTo.quote} active={false} />}
        <div class="bubble">
          <RichText text={pending.text} />
        </div>
        {!held && (
          <div class="msg-status" role={failed ? 'alert' : undefined}>
            <span>{status}</span>
            {failed && (
              <>
                {refused ? (
                  <button type="button" class="link-button" onClick={onEdit}>
                    Edit
                  </button>
                ) : (
                  <button type="button" class="link-button" onClick={onRetry}>
                    Retry
                  </button>
                )}
                <button type="button" class="link-button link-button--quiet" onClick={onDiscard}>
                  Discard
                </button>
              </>
            )}
          </div>
        )}
      </div>
    </div>
  );
}
