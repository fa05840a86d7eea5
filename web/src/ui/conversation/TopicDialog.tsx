import { useEffect, useRef, useState } from 'preact/hooks';
import { describeError } from '../../api/api-error.js';

/** The server's limit on a topic, in characters. */
export const TOPIC_MAX = 300;

/** Sets (or clears, when emptied) a room's topic, in a native modal dialog; the server's refusal shows in it. */
export function TopicDialog({
  roomName,
  topic,
  onSave,
  onClose,
}: {
  roomName: string;
  topic: string;
  onSave: (topic: string) => Promise<unknown>;
  onClose: () => void;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [value, setValue] = useState(topic);
  const [problem, setProblem] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);

  useEffect(() => {
    dialog.current?.showModal();
  }, []);

  const save = async (event: Event) => {
    event.preventDefault();
    setSaving(true);
    setProblem(null);
    try {
      await onSave(value.trim());
      dialog.current?.close();
    } catch (err) {
      setProblem(describeError(err));
    } finally {
      setSaving(false);
    }
  };

  return (
    <dialog ref={dialog} class="dialog" aria-labelledby="topic-title" onClose={onClose}>
      <form class="form" onSubmit={save}>
        <h2 id="topic-title">Topic of {roomName}</h2>
        <div class="field">
          <label for="topic-input">Topic</label>
          <input
            id="topic-input"
            type="text"
            aria-describedby="topic-hint"
            value={value}
            maxLength={TOPIC_MAX}
            placeholder="What this room is about"
            onInput={(e) => setValue(e.currentTarget.value)}
          />
          <span class="hint" id="topic-hint">
            Everyone in the room sees it in the header. Leave it empty to clear it.
          </span>
        </div>
        {problem && (
          <p class="error" role="alert">
            {problem}
          </p>
        )}
        <div class="dialog-actions">
          <button type="button" class="button" onClick={() => dialog.current?.close()}>
            Cancel
          </button>
          <button type="submit" class="button button--primary" disabled={saving}>
            {saving ? 'Saving…' : 'Save topic'}
          </button>
        </div>
      </form>
    </dialog>
  );
}
