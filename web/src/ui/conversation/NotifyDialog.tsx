import { useEffect, useRef, useState } from 'preact/hooks';
import { describeError } from '../../api/api-error.js';
import { NOTIFY_LEVELS, type NotifyLevel, type NotifyLevels } from '../../chat/notify-levels.js';

export const NOTIFY_LABELS: Record<NotifyLevel, { title: string; hint: string }> = {
  all: { title: 'All messages', hint: 'Every new message while Confab is in the background.' },
  mentions: { title: 'Only @mentions', hint: 'Only messages that mention you by name.' },
  none: { title: 'Nothing', hint: 'No notifications from this room.' },
};

/**
 * A room's notification level, in a native modal dialog: a choice applies
 * at once (the server keeps it); Done or Escape closes it. The bell in the sidebar turns
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
  const [problem, setProblem] = useState<string | null>(null);
  const choose = (value: NotifyLevel) => {
    setProblem(null);
    levels.set(roomId, value).catch((err: unknown) => setProblem(describeError(err)));
  };

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
                onChange={() => choose(value)}
              />
              <span>
                <strong>{NOTIFY_LABELS[value].title}</strong>
                <span class="hint">{NOTIFY_LABELS[value].hint}</span>
              </span>
            </label>
          ))}
        </fieldset>
        {problem && (
          <p class="error" role="alert">
            {problem}
          </p>
        )}
        <div class="dialog-actions">
          <button type="submit" class="button button--primary">
            Done
          </button>
        </div>
      </form>
    </dialog>
  );
}
