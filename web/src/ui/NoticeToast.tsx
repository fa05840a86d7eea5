import type { Signal } from '@preact/signals';

/**
 * Something that happened to the user without their doing (removed from a
 * room), over whatever is on screen, wide or narrow, until dismissed.
 */
export function NoticeToast({ notice }: { notice: Signal<string | null> }) {
  const text = notice.value;
  if (text === null) return null;
  return (
    <div class="toast" role="alert">
      <span>{text}</span>
      <button
        type="button"
        class="button button--small button--quiet"
        onClick={() => {
          notice.value = null;
        }}
      >
        Dismiss
      </button>
    </div>
  );
}
