import { useEffect, useRef, useState } from 'preact/hooks';
import { EditIcon, ReplyIcon, SmileIcon, TrashIcon } from '../common/icons.js';

/** The emoji offered for a quick reaction; any other can still arrive from other clients. */
export const QUICK_EMOJI = ['👍', '❤️', '😂', '🎉', '😮', '😢', '👀', '✅'] as const;

/**
 * A message's actions: react, reply, edit, delete (each only where allowed).
 * Shown over the message on hover and whenever focus is inside it (a tap on
 * a phone, or the arrow keys): its buttons are Tab stops only in the message
 * the keyboard is on (`active`), so the log stays one Tab stop.
 */
export function MessageToolbar({
  active,
  author,
  onReact,
  onReply,
  onEdit,
  onDelete,
}: {
  active: boolean;
  /** Whose message, for the buttons' labels. */
  author: string;
  onReact?: ((emoji: string) => void) | undefined;
  onReply?: (() => void) | undefined;
  onEdit?: (() => void) | undefined;
  onDelete?: (() => void) | undefined;
}) {
  const [picking, setPicking] = useState(false);
  const picker = useRef<HTMLDivElement>(null);
  const opener = useRef<HTMLButtonElement>(null);
  const tab = active ? 0 : -1;

  useEffect(() => {
    // Under the last message the emoji would open below the fold; the keyboard goes to the first.
    if (!picking) return;
    picker.current?.scrollIntoView({ block: 'nearest' });
    picker.current?.querySelector('button')?.focus({ preventScroll: true });
  }, [picking]);

  if (!onReact && !onReply && !onEdit && !onDelete) return null;
  return (
    <div
      class={`msg-tools${picking ? ' msg-tools--open' : ''}`}
      role="toolbar"
      aria-label={`Actions on ${author}'s message`}
      onFocusOut={(event) => {
        // Focus gone elsewhere (a click away, Tab past the emoji): the emoji close.
        const next = event.relatedTarget as Node | null;
        if (picking && !(next && event.currentTarget.contains(next))) setPicking(false);
      }}
      onKeyDown={(event) => {
        if (event.key === 'Escape' && picking) {
          event.stopPropagation();
          setPicking(false);
          opener.current?.focus();
        }
      }}
    >
      {onReact && (
        <button
          type="button"
          ref={opener}
          class="tool-button"
          tabIndex={tab}
          aria-label="Add reaction"
          aria-expanded={picking}
          title="Add reaction"
          onClick={() => setPicking(!picking)}
        >
          <SmileIcon />
        </button>
      )}
      {picking && onReact ? (
        <div class="emoji-picker" ref={picker}>
          {QUICK_EMOJI.map((emoji) => (
            <button
              key={emoji}
              type="button"
              class="emoji-option"
              tabIndex={tab}
              aria-label={`React with ${emoji}`}
              onClick={() => {
                setPicking(false);
                onReact(emoji);
              }}
            >
              {emoji}
            </button>
          ))}
        </div>
      ) : null}
      {onReply && (
        <button
          type="button"
          class="tool-button"
          tabIndex={tab}
          aria-label="Reply"
          title="Reply"
          onClick={onReply}
        >
          <ReplyIcon />
        </button>
      )}
      {onEdit && (
        <button
          type="button"
          class="tool-button"
          tabIndex={tab}
          aria-label="Edit"
          title="Edit"
          onClick={onEdit}
        >
          <EditIcon />
        </button>
      )}
      {onDelete && (
        <button
          type="button"
          class="tool-button tool-button--danger"
          tabIndex={tab}
          aria-label="Delete"
          title="Delete"
          onClick={onDelete}
        >
          <TrashIcon />
        </button>
      )}
    </div>
  );
}
