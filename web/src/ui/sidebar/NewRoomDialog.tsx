import { useEffect, useRef, useState } from 'preact/hooks';
import { describeError } from '../../api/api-error.js';
import type { Visibility } from '../../protocol.js';

/**
 * Creating a room, in a native modal dialog: it traps focus, closes on
 * Escape and gives focus back to the button that opened it.
 */
export function NewRoomDialog({
  onCreate,
  onClose,
}: {
  onCreate: (name: string, visibility: Visibility) => Promise<void>;
  onClose: () => void;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [name, setName] = useState('');
  const [visibility, setVisibility] = useState<Visibility>('public');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    dialog.current?.showModal();
  }, []);

  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await onCreate(name, visibility);
      dialog.current?.close();
    } catch (err) {
      setError(describeError(err));
      setBusy(false);
    }
  };

  return (
    <dialog ref={dialog} class="dialog" aria-labelledby="new-room-title" onClose={onClose}>
      <form class="form" onSubmit={submit}>
        <h2 id="new-room-title">New room</h2>
        <div class="field">
          <label for="new-room-name">Name</label>
          <input
            id="new-room-name"
            maxLength={80}
            placeholder="Leave empty for a random name"
            value={name}
            onInput={(e) => setName(e.currentTarget.value)}
          />
        </div>
        <fieldset class="choices">
          <legend>Who can see it</legend>
          <label class="choice">
            <input
              type="radio"
              name="visibility"
              value="public"
              checked={visibility === 'public'}
              onChange={() => setVisibility('public')}
            />
            <span>
              <strong>Public</strong>
              <span class="hint">Anyone can find it and join.</span>
            </span>
          </label>
          <label class="choice">
            <input
              type="radio"
              name="visibility"
              value="private"
              checked={visibility === 'private'}
              onChange={() => setVisibility('private')}
            />
            <span>
              <strong>Private</strong>
              <span class="hint">Only the people you add can see it.</span>
            </span>
          </label>
        </fieldset>
        {error && (
          <p class="error" role="alert">
            {error}
          </p>
        )}
        <div class="dialog-actions">
          <button type="button" class="button" onClick={() => dialog.current?.close()}>
            Cancel
          </button>
          <button type="submit" class="button button--primary" disabled={busy}>
            Create room
          </button>
        </div>
      </form>
    </dialog>
  );
}
