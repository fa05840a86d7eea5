import { useEffect, useRef } from 'preact/hooks';
import { NOTIFY_LEVELS, type NotifyLevel, type NotifyLevels } from '../../chat/notify-levels.js';

export const NOTIFY_LABELS: Record<NotifyLevel, { title: string; hint: string }> = {
  all: { title: 'All messages', hint: 'Every new message while Confab is in the background.' },
  mentions: { title: 'Only @mentions', hint: 'Only messages that mention you by name.' },
  none: { title: 'Nothing', hint: 'No notifications from this room.' },
};

/**
 * A room's desktop notification level, in a native modal dialog: a choice
 * applies at once; Done or Escape closes it. The bell in the sidebar turns
 * notifications on for the browser; this says which messages of the room.
 */
export function NotifyDialog({
  levels,
  roomId,
  roomName,
  onClose,
}: {
  levels: NotifyLevels;
  roomId: string;
  roomName: string;
  onClose: () => void;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  const level = levels.of(roomId);

  useEffect(() => {
    dialog.current?.showModal();
  }, []);

  return (
    <dialog ref={dialog} class="dialog" aria-labelledby="notify-title" onClose={onClose}>
      <form class="form" method="dialog">
        <h2 id="notify-title">Notifications for {roomName}</h2>
        <fieldset class="choices">
          <legend class="visually-hidden">Notify me of</legend>
          {NOTIFY_LEVELS.map((value) => (
            <label class="choice" key={value}>
              <input
                type="radio"
                name="notify-level"
                value={value}
                checked={level === value}
                onChange={() => levels.set(roomId, value)}
              />
              <span>
                <strong>{NOTIFY_LABELS[value].title}</strong>
                <span class="hint">{NOTIFY_LABELS[value].hint}</span>
              </span>
            </label>
          ))}
        </fieldset>
        <div class="dialog-actions">
          <button type="submit" class="button button--primary">
            Done
          </button>
        </div>
      </form>
    </dialog>
  );
}
