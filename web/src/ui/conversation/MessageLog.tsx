import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { ChatClient } from '../../chat/chat-client.js';
import { type LogItem, logItems } from '../../chat/log-items.js';
import type { Viewer } from '../../chat/permissions.js';
import type { Problem, RoomState } from '../../chat/room-state.js';
import { Avatar } from '../common/Avatar.js';
import { ArrowDownIcon, HashIcon, LockIcon } from '../common/icons.js';
import { MessageItem, NoticeItem } from './MessageItem.js';
import { PendingItem } from './PendingItem.js';

/** Within this distance of an edge counts as "at" it: near the top loads older messages. */
const EDGE_PX = 160;
/** Room left above the unread divider when a room opens at it, in pixels. */
const ABOVE_DIVIDER_PX = 24;
/** How long a message brought into view (a search result, a reply's original) stays marked, in ms. */
const MARK_MS = 4_000;

/**
 * The conversation, as a `log` region: the newest at the bottom, older pages
 * loaded when the reader nears the top (keeping what they were reading in
 * place), and new messages followed only while the reader is at the bottom.
 * A room with unread messages opens at the first of them, below a divider.
 * Each message is an article; the arrow keys (and Home, End) move between
 * them, and only the one the keyboard is on puts its links in the Tab order.
 * A message asked for (`state.reveal`: a search result, a reply's original)
 * is scrolled to the middle, focused and marked for a few seconds.
 */
export function MessageLog({
  client,
  state,
  roomName,
  isPrivate,
  peer,
}: {
  client: ChatClient;
  state: RoomState;
  /** A direct conversation's is the other person's name. */
  roomName: string;
  isPrivate: boolean;
  /** The other person of a direct conversation. */
  peer?: { id: string; name: string } | undefined;
}) {
  const log = useRef<HTMLDivElement>(null);
  const stickToBottom = useRef(true);
  const before = useRef({ height: 0, top: 0, firstSeq: 0, lastSeq: 0, pending: 0 });
  const [unseen, setUnseen] = useState(false);
  /** The key of the item the keyboard is on, if focus is in the log. */
  const [activeKey, setActiveKey] = useState<string | null>(null);
  const openedAtUnread = useRef(false);
  // No divider until the timeline reaches the first unread message: it would stand above a later one.
  const from = state.unreadFrom.value;
  const unreadFrom = from !== null && state.covers(from) ? from : null;

  const messages = state.messages.value;
  const pending = state.pending.value;
  const hasOlder = state.hasOlder.value;
  const loading = state.loadingOlder.value;
  const problem = state.historyProblem.value;
  const commandErrors = state.commandErrors.value;
  // Until the room's detail says it may be seen, asking for its history would only fail.
  const canLoad = hasOlder && !loading && !problem && state.membership.value !== 'unknown';
  const online = client.socket.state.value.status === 'online';
  const members = state.members.value;
  const names = useMemo(() => members?.map((m) => m.name) ?? [], [members]);
  const viewer: Viewer = {
    id: client.me.id,
    role:
      state.membership.value === 'member'
        ? (members?.find((m) => m.id === client.me.id)?.role ?? 'member')
        : undefined,
  };
  const reveal = state.reveal.value;
  const [marked, setMarked] = useState<number | null>(null);
  const items = useMemo(
    () => logItems(messages, pending, client.me.id, new Date(), unreadFrom),
    [messages, pending, client.me.id, unreadFrom],
  );

  const loadOlder = () => void client.loadOlder(state.roomId);

  useLayoutEffect(() => {
    const el = log.current;
    if (!el) return;
    const firstSeq = messages[0]?.seq ?? 0;
    const lastSeq = messages.at(-1)?.seq ?? 0;
    const was = before.current;
    const divider = el.querySelector<HTMLElement>('.unread-divider');
    const wanted = reveal === null ? null : el.querySelector<HTMLElement>(`[data-seq="${reveal}"]`);
    if (wanted) {
      // A message asked for: in the middle, with the keyboard on it; the bottom is no longer followed.
      openedAtUnread.current = true;
      state.reveal.value = null;
      wanted.scrollIntoView({ block: 'center' });
      wanted.focus({ preventScroll: true });
      stickToBottom.current = false;
      setUnseen(el.scrollHeight - el.scrollTop - el.clientHeight >= EDGE_PX / 2);
      setMarked(reveal);
    } else if (reveal !== null) {
      // Still loading down to it: hold the view, and load no page the reader did not ask for.
    } else if (divider && !openedAtUnread.current) {
      // Open at the first unread message, once; from then on the usual rules.
      openedAtUnread.current = true;
      el.scrollTop = divider.offsetTop - ABOVE_DIVIDER_PX;
      stickToBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight < EDGE_PX / 2;
      // The newer messages below are one click away.
      setUnseen(!stickToBottom.current);
    } else if (was.firstSeq && firstSeq < was.firstSeq) {
      // Older messages went in above: keep the same message under the reader's eyes.
      el.scrollTop = was.top + (el.scrollHeight - was.height);
    } else if (stickToBottom.current || pending.length > was.pending) {
      el.scrollTop = el.scrollHeight;
      stickToBottom.current = true;
      setUnseen(false);
    } else if (lastSeq > was.lastSeq) {
      setUnseen(true);
    }
    before.current = {
      height: el.scrollHeight,
      top: el.scrollTop,
      firstSeq,
      lastSeq,
      pending: pending.length,
    };
    // A short page does not fill the view, so no scroll would ever ask for more.
    if (canLoad && reveal === null && el.scrollTop < EDGE_PX) loadOlder();
  });

  useEffect(() => {
    if (marked === null) return;
    const timer = setTimeout(() => setMarked(null), MARK_MS);
    return () => clearTimeout(timer);
  }, [marked]);

  const onScroll = () => {
    const el = log.current;
    if (!el) return;
    stickToBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight < EDGE_PX / 2;
    if (stickToBottom.current) setUnseen(false);
    before.current = { ...before.current, height: el.scrollHeight, top: el.scrollTop };
    if (canLoad && el.scrollTop < EDGE_PX) loadOlder();
  };

  /** Arrow keys, Home and End move from message to message; at the top, older ones load. */
  const onKeyDown = (event: KeyboardEvent) => {
    const el = log.current;
    if (!el || event.altKey || event.ctrlKey || event.metaKey) return;
    // A dialog opened from a message (delete) has keys of its own.
    if ((event.target as HTMLElement).closest('dialog')) return;
    const nav = [...el.querySelectorAll<HTMLElement>('[data-nav]')];
    if (nav.length === 0) return;
    const current = (event.target as HTMLElement).closest<HTMLElement>('[data-nav]');
    const at = current ? nav.indexOf(current) : -1;
    const last = nav.length - 1;
    let next: number;
    switch (event.key) {
      case 'ArrowUp':
        next = at < 0 ? last : Math.max(0, at - 1);
        if (at === 0 && canLoad) loadOlder();
        break;
      case 'ArrowDown':
        next = at < 0 ? last : Math.min(last, at + 1);
        break;
      case 'Home':
        next = 0;
        break;
      case 'End':
        next = last;
        break;
      default:
        return;
    }
    event.preventDefault();
    nav[next]?.focus();
  };

  /** The item holding focus (a message, or a link in it), by the key its seq gives. */
  const onFocusIn = (event: FocusEvent) => {
    const item = (event.target as HTMLElement).closest<HTMLElement>('[data-nav]');
    setActiveKey(item?.dataset.seq ? `m-${item.dataset.seq}` : null);
  };

  const onFocusOut = (event: FocusEvent) => {
    const next = event.relatedTarget as Node | null;
    if (!next || !log.current?.contains(next)) setActiveKey(null);
  };

  const jumpToBottom = () => {
    const el = log.current;
    if (!el) return;
    el.scrollTop = el.scrollHeight;
    stickToBottom.current = true;
    setUnseen(false);
  };

  return (
    <div class="log-wrap">
      <div
        class="log"
        ref={log}
        role="log"
        aria-label={`Messages in ${roomName}`}
        aria-busy={loading}
        // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must take focus, or keyboard users cannot scroll it
        tabIndex={0}
        onScroll={onScroll}
        onKeyDown={onKeyDown}
        onFocusIn={onFocusIn}
        onFocusOut={onFocusOut}
        data-testid="message-log"
      >
        <div class="log-start">
          {problem ? (
            <p class="error" role="alert">
              Couldn't load older messages: {problem.message}{' '}
              <button
                type="button"
                class="link-button"
                onClick={() => {
                  state.historyProblem.value = null;
                  loadOlder();
                }}
              >
                Try again
              </button>
            </p>
          ) : hasOlder ? (
            <button type="button" class="link-button" onClick={loadOlder} disabled={loading}>
              {loading ? 'Loading older messages…' : 'Load older messages'}
            </button>
          ) : (
            <div class="log-intro">
              <span class="log-intro-icon" aria-hidden="true">
                {peer ? (
                  <Avatar id={peer.id} name={peer.name} />
                ) : isPrivate ? (
                  <LockIcon size={24} />
                ) : (
                  <HashIcon size={24} />
                )}
              </span>
              {peer ? (
                <>
                  <h2>{roomName}</h2>
                  <p>This is the beginning of your conversation with {roomName}.</p>
                </>
              ) : (
                <>
                  <h2>Welcome to {roomName}</h2>
                  <p>This is the very beginning of {roomName}.</p>
                </>
              )}
            </div>
          )}
        </div>
        {items.length === 0 && loading && <LogPlaceholder />}
        {items.map((item) => (
          <LogEntry
            key={item.key}
            item={item}
            client={client}
            state={state}
            viewer={viewer}
            marked={item.kind === 'message' && item.message.seq === marked}
            online={online}
            active={item.key === activeKey}
            commandErrors={commandErrors}
            names={names}
          />
        ))}
      </div>
      {unseen && (
        <button type="button" class="jump" onClick={jumpToBottom}>
          <ArrowDownIcon />
          New messages
        </button>
      )}
    </div>
  );
}

/** Grey shapes where the first page of messages is about to appear. */
function LogPlaceholder() {
  return (
    <div class="log-placeholder" aria-hidden="true" data-testid="log-placeholder">
      {[62, 40, 75, 30, 55].map((width, i) => (
        <div key={width} class={`placeholder-msg${i % 3 === 2 ? ' placeholder-msg--own' : ''}`}>
          <span class="placeholder-avatar" />
          <span class="placeholder-line" style={{ width: `${width}%` }} />
        </div>
      ))}
    </div>
  );
}

function LogEntry({
  item,
  client,
  state,
  viewer,
  marked,
  online,
  active,
  commandErrors,
  names,
}: {
  item: LogItem;
  client: ChatClient;
  state: RoomState;
  viewer: Viewer;
  marked: boolean;
  online: boolean;
  active: boolean;
  commandErrors: ReadonlyMap<string, Problem>;
  names: readonly string[];
}) {
  switch (item.kind) {
    case 'day':
      return (
        <div class="day">
          <span>{item.label}</span>
        </div>
      );
    case 'unread':
      return (
        // biome-ignore lint/a11y/useSemanticElements: an <hr> cannot hold the visible label
        <div class="unread-divider" role="separator" aria-label="New messages">
          <span aria-hidden="true">New messages</span>
        </div>
      );
    case 'notice':
      return <NoticeItem message={item.message} active={active} />;
    case 'message':
      return (
        <MessageItem
          client={client}
          state={state}
          viewer={viewer}
          marked={marked}
          message={item.message}
          own={item.own}
          continued={item.continued}
          active={active}
          me={client.me.name}
          names={names}
          blocked={!item.own && client.blocked.value.has(item.message.memberId)}
          commandError={
            item.message.clientId ? commandErrors.get(item.message.clientId) : undefined
          }
        />
      );
    case 'pending':
      return (
        <PendingItem
          pending={item.pending}
          continued={item.continued}
          online={online}
          onRetry={() => client.outbox.retry(item.pending.clientId)}
          onDiscard={() => client.outbox.discard(item.pending.clientId)}
          onEdit={() => {
            state.draft.value = item.pending.text;
            client.outbox.discard(item.pending.clientId);
            document.getElementById('composer-input')?.focus();
          }}
        />
      );
  }
}
