import type { ChatMessage } from '../protocol.js';

/**
 * Merges messages into a timeline kept ascending by seq with each seq once.
 * History pages, live frames and catch-up replays overlap freely; whatever
 * arrives twice is shown once. Returns the same array when nothing is new,
 * so that a repeat does not re-render.
 */
export function mergeMessages(
  timeline: readonly ChatMessage[],
  incoming: readonly ChatMessage[],
): readonly ChatMessage[] {
  if (incoming.length === 0) return timeline;
  const last = timeline.at(-1)?.seq ?? 0;
  // The common case, a live message or a newer page: append in order.
  if (isAscending(incoming) && (incoming[0]?.seq ?? 0) > last) return [...timeline, ...incoming];
  const bySeq = new Map<number, ChatMessage>();
  for (const message of timeline) bySeq.set(message.seq, message);
  let added = false;
  for (const message of incoming) {
    if (bySeq.has(message.seq)) continue;
    bySeq.set(message.seq, message);
    added = true;
  }
  if (!added) return timeline;
  return [...bySeq.values()].sort((a, b) => a.seq - b.seq);
}

function isAscending(messages: readonly ChatMessage[]): boolean {
  for (let i = 1; i < messages.length; i++) {
    if ((messages[i]?.seq ?? 0) <= (messages[i - 1]?.seq ?? 0)) return false;
  }
  return true;
}
