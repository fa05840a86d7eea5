import type { Composing } from '../../chat/room-state.js';
import { CloseIcon, EditIcon, ReplyIcon } from '../common/icons.js';

/** Above the message box: what it is doing besides a new message (answering one, editing one), with a way out. */
export function ComposingBar({
  composing,
  problem,
  onCancel,
}: {
  composing: Composing;
  problem: string | null;
  onCancel: () => void;
}) {
  const { message } = composing;
  return (
    <div class="composing" data-testid="composing">
      <span class="composing-icon" aria-hidden="true">
        {composing.kind === 'reply' ? <ReplyIcon /> : <EditIcon />}
      </span>
      <p class="composing-text" id="composing-text">
        {composing.kind === 'reply' ? (
          <>
            Replying to <strong>{message.memberName}</strong>
            <span class="composing-excerpt">{message.message}</span>
          </>
        ) : (
          <>Editing your message · Escape to cancel</>
        )}
      </p>
      <button
        type="button"
        class="icon-button"
        aria-label={composing.kind === 'reply' ? 'Cancel reply' : 'Cancel edit'}
        onClick={onCancel}
      >
        <CloseIcon />
      </button>
      {problem && (
        <p class="composing-problem error" role="alert">
          {problem}
        </p>
      )}
    </div>
  );
}
