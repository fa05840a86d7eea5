import { useEffect, useRef, useState } from 'preact/hooks';
import { describeError } from '../../api/api-error.js';
import type { Person } from '../../api/endpoints.js';
import type { ChatClient } from '../../chat/chat-client.js';
import { goToRoom } from '../../chat/router.js';

/** The server searches usernames from 2 characters on. */
const SEARCH_MIN = 2;
/** Waits for a pause in typing before searching. */
const SEARCH_DELAY_MS = 150;

/** Finds an account by the start of its username and opens the direct conversation with it. */
export function NewMessageDialog({ client, onClose }: { client: ChatClient; onClose: () => void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [query, setQuery] = useState('');
  /** The accounts found, and whether the search found oneself (left out of the list). */
  const [found, setFound] = useState<{ people: Person[]; self: boolean } | null>(null);
  const [problem, setProblem] = useState<string | null>(null);

  useEffect(() => {
    dialog.current?.showModal();
  }, []);

  useEffect(() => {
    const q = query.trim();
    setProblem(null);
    if (q.length < SEARCH_MIN) {
      setFound(null);
      return;
    }
    let current = true;
    const timer = setTimeout(() => {
      client.searchUsers(q).then(
        (list) =>
          current &&
          setFound({
            people: list.filter((p) => p.id !== client.me.id),
            self: list.some((p) => p.id === client.me.id),
          }),
        (err: unknown) => current && setProblem(describeError(err)),
      );
    }, SEARCH_DELAY_MS);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [client, query]);

  const start = async (person: Person) => {
    setProblem(null);
    try {
      goToRoom(await client.openDirect(person.id));
      dialog.current?.close();
    } catch (err) {
      setProblem(describeError(err));
    }
  };

  return (
    <dialog ref={dialog} class="dialog" aria-labelledby="new-message-title" onClose={onClose}>
      <div class="form">
        <h2 id="new-message-title">New message</h2>
        <div class="field">
          <label for="people-search">Search people by username</label>
          <input
            id="people-search"
            type="search"
            autocomplete="off"
            autocapitalize="none"
            spellcheck={false}
            value={query}
            onInput={(e) => setQuery(e.currentTarget.value)}
          />
        </div>
        <p class="muted" role="status">
          {searchHint(query.trim().length, found)}
        </p>
        {found && found.people.length > 0 && (
          <ul class="people-results" aria-label="People found">
            {found.people.map((person) => (
              <li key={person.id}>
                <button type="button" class="link-button" onClick={() => void start(person)}>
                  Message {person.name}
                </button>
              </li>
            ))}
          </ul>
        )}
        {problem && (
          <p class="error" role="alert">
            {problem}
          </p>
        )}
        <div class="dialog-actions">
          <button
            type="button"
            class="button button--quiet"
            onClick={() => dialog.current?.close()}
          >
            Cancel
          </button>
        </div>
      </div>
    </dialog>
  );
}

/** What the search says under the box: how to search, or why nobody is listed. */
function searchHint(length: number, found: { people: Person[]; self: boolean } | null): string {
  if (length < SEARCH_MIN) return `Type at least ${SEARCH_MIN} letters of a username.`;
  if (!found || found.people.length > 0) return '';
  return found.self ? "That's you: search for someone else." : 'Nobody by that name.';
}
