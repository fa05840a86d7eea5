import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';

/**
 * "Are you sure?" for what cannot be undone with one click, in a native
 * modal dialog: it traps focus, Escape cancels, and focus returns to the
 * button that opened it. Focus starts on Cancel, so a stray Enter is safe.
 */
export function ConfirmDialog({
  title,
  children,
  confirmLabel,
  onConfirm,
  onClose,
}: {
  title: string;
  children: ComponentChildren;
  confirmLabel: string;
  onConfirm: () => void;
  onClose: () => void;
}) {
  const dialog = useRef<HTMLDialogElement>(null);

  useEffect(() => {
    dialog.current?.showModal();
  }, []);

  return (
    <dialog
      ref={dialog}
      class="dialog confirm-dialog"
      aria-labelledby="confirm-title"
      aria-describedby="confirm-body"
      onClose={onClose}
    >
      <form
        class="form"
        method="dialog"
        onSubmit={(event) => {
          event.preventDefault();
          dialog.current?.close();
          onConfirm();
        }}
      >
        <h2 id="confirm-title">{title}</h2>
        <div id="confirm-body" class="confirm-body">
          {children}
        </div>
        <div class="dialog-actions">
          <button
            type="button"
            class="button"
            // biome-ignore lint/a11y/noAutofocus: in a modal, the safe choice takes focus first
            autoFocus
            onClick={() => dialog.current?.close()}
          >
            Cancel
          </button>
          <button type="submit" class="button button--danger">
            {confirmLabel}
          </button>
        </div>
      </form>
    </dialog>
  );
}
