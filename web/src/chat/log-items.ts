import type { ChatMessage } from '../protocol.js';
import { dayKey, dayLabel } from '../text/time.js';
import type { PendingMessage } from './pending.js';

/** The types that are lines of their own: messages, and notices of joins, leaves and topics. */
const SHOWN = new Set(['chat', 'bot', 'failed', 'joined', 'left', 'topic']);

/** Consecutive messages from one person within this span share one header. */
const GROUP_MS = 5 * 60_000;

/**
 * What the conversation shows, in order: day separators, messages, notices,
 * then pending sends; a divider above the first message unread on opening.
 */
export type LogItem =
  | { kind: 'day'; key: string; label: string }
  | { kind: 'unread'; key: string }
  | { kind: 'message'; key: string; message: ChatMessage; own: boolean; continued: boolean }
  | { kind: 'notice'; key: string; message: ChatMessage }
  | { kind: 'pending'; key: string; pending: PendingMessage; continued: boolean };

interface Speaker {
  id: string;
  at: number;
}

export function logItems(
  messages: readonly ChatMessage[],
  pending: readonly PendingMessage[],
  meId: string,
  now = new Date(),
  unreadFrom: number | null = null,
): LogItem[] {
  const items: LogItem[] = [];
  let dividerDue = unreadFrom !== null;
  let day: string | null = null;
  let speaker: Speaker | null = null;

  const enterDay = (iso: string) => {
    const key = dayKey(iso);
    if (key === day) return;
    day = key;
    speaker = null;
    items.push({ kind: 'day', key: `day-${key}`, label: dayLabel(iso, now) });
  };
  const continues = (id: string, iso: string): boolean => {
    const at = new Date(iso).getTime();
    const previous: Speaker | null = speaker;
    speaker = { id, at };
    return previous !== null && previous.id === id && at - previous.at < GROUP_MS;
  };

  for (const message of messages) {
    // Edits, deletions and reactions show on their targets; a type from a newer server, nowhere.
    if (!SHOWN.has(message.type)) continue;
    enterDay(message.sent);
    if (dividerDue && unreadFrom !== null && message.seq >= unreadFrom) {
      dividerDue = false;
      speaker = null;
      items.push({ kind: 'unread', key: 'unread' });
    }
    if (message.type === 'chat' || message.type === 'bot' || message.type === 'failed') {
      const continued = continues(`${message.type}:${message.memberId}`, message.sent);
      items.push({
        kind: 'message',
        key: `m-${message.seq}`,
        message,
        own: message.memberId === meId && message.type === 'chat',
        continued,
      });
    } else {
      speaker = null;
      items.push({ kind: 'notice', key: `m-${message.seq}`, message });
    }
  }
  for (const p of pending) {
    enterDay(p.created);
    const continued = continues(`chat:${meId}`, p.created);
    items.push({ kind: 'pending', key: `p-${p.clientId}`, pending: p, continued });
  }
  return items;
}
