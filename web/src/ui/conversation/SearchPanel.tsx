import { useEffect, useRef, useState } from 'preact/hooks';
import type { ChatClient } from '../../chat/chat-client.js';
import type { SearchHit } from '../../protocol.js';
import { parseMarkdown, plainText } from '../../text/markdown.js';
import { clockTime, dayLabel, fullTime } from '../../text/time.js';
import { CloseIcon, SearchIcon } from '../common/icons.js';

/**
 * Search of the open room's messages, or of every room the user may read:
 * results newest first, a page at a time ("More results"); picking one opens
 * its room at that message, loading older history down to it, and marks it.
 */
export function SearchPanel({
  client,
  roomId,
  roomName,
  onPicked,
  onClose,
}: {
  client: ChatClient;
  roomId: string;
  roomName: string;
  /** After a result is opened: a phone closes the panel to show the conversation. */
  onPicked: () => void;
  onClose: () => void;
}) {
  const search = client.search;
  const [q, setQ] = useState('');
  const [everywhere, setEverywhere] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const results = search.results.value;
  const loading = search.loading.value;
  const problem = search.problem.value;

  useEffect(() => {
    input.current?.focus();
    return () => search.clear();
  }, [search]);

  const run = (query: string, all: boolean) => {
    if (query.trim() === '') {
      search.clear();
      return;
    }
    void search.run(query.trim(), all ? 'all' : { roomId });
  };

  const open = (hit: SearchHit) => {
    void client.reveal(hit.roomId, hit.seq);
    onPicked();
  };

  return (
    <aside class="search-panel" aria-labelledby="search-title">
      <header class="members-head">
        <h2 id="search-title">Search</h2>
        <button type="button" class="icon-button" aria-label="Close search" onClick={onClose}>
          <CloseIcon />
        </button>
      </header>
      <form
        class="search-form"
        onSubmit={(event) => {
          event.preventDefault();
          run(q, everywhere);
        }}
      >
        <div class="search-box">
          <SearchIcon size={16} />
          <label for="search-input" class="visually-hidden">
            Search messages
          </label>
          <input
            id="search-input"
            ref={input}
            type="search"
            maxLength={200}
            placeholder={everywhere ? 'Search all rooms' : `Search ${roomName}`}
            value={q}
            enterkeyhint="search"
            onInput={(e) => setQ(e.currentTarget.value)}
            onKeyDown={(e) => {
              if (e.key === 'Escape') onClose();
            }}
          />
        </div>
        <fieldset class="search-scope">
          <legend class="visually-hidden">Where</legend>
          <label>
            <input
              type="radio"
              name="search-scope"
              checked={!everywhere}
              onChange={() => {
                setEverywhere(false);
                run(q, false);
              }}
            />
            This room
          </label>
          <label>
            <input
              type="radio"
              name="search-scope"
              checked={everywhere}
              onChange={() => {
                setEverywhere(true);
                run(q, true);
              }}
            />
            All rooms
          </label>
        </fieldset>
      </form>
      <div class="search-results" aria-live="polite" aria-busy={loading}>
        {problem && (
          <p class="error" role="alert">
            {problem.message}
          </p>
        )}
        {results && results.length === 0 && !loading && !problem && (
          <p class="muted search-empty">No messages found.</p>
        )}
        {results && results.length > 0 && (
          <ul class="search-list" aria-label="Results">
            {results.map((hit) => (
              <li key={hit.id}>
                <SearchResult hit={hit} showRoom={everywhere} onOpen={() => open(hit)} />
              </li>
            ))}
          </ul>
        )}
        {loading && <ResultsPlaceholder />}
        {search.hasMore.value && !loading && (
          <button type="button" class="link-button search-more" onClick={() => void search.more()}>
            More results
          </button>
        )}
      </div>
    </aside>
  );
}

function SearchResult({
  hit,
  showRoom,
  onOpen,
}: {
  hit: SearchHit;
  showRoom: boolean;
  onOpen: () => void;
}) {
  const text = plainText(parseMarkdown(hit.message));
  return (
    <button type="button" class="search-hit" onClick={onOpen} data-seq={hit.seq}>
      <span class="search-hit-meta">
        <strong>{hit.memberName}</strong>
        {showRoom && <span class="search-hit-room">in {hit.roomName}</span>}
        <time dateTime={hit.sent} title={fullTime(hit.sent)}>
          {dayLabel(hit.sent, new Date())} {clockTime(hit.sent)}
        </time>
      </span>
      <span class="search-hit-text">{text}</span>
    </button>
  );
}

function ResultsPlaceholder() {
  return (
    <div class="search-placeholder" aria-hidden="true" data-testid="search-placeholder">
      {[80, 55, 70].map((width) => (
        <span key={width} class="placeholder-line" style={{ width: `${width}%` }} />
      ))}
    </div>
  );
}
