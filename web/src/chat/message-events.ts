import type { ChatMessage, ReactionView } from '../protocol.js';

const CHANGES = new Set(['edit', 'delete', 'reaction']);

/** An event that changes an earlier message (its `targetId`) rather than a line of its own. */
export function isChange(message: ChatMessage): boolean {
  return CHANGES.has(message.type);
}

/**
 * Applies the edits, deletions and reactions among `incoming` to their
 * targets in `timeline`, as docs/protocol.md says a client must: an event
 * counts only when its seq is above the target's `changedSeq` (or seq),
 * which then becomes the event's seq. So an event that the target's state
 * already holds (a page read after it, a replay with `since`) is not applied
 * twice, and an event whose target is not loaded is skipped: the target
 * brings its state when it is. Returns `timeline` itself when nothing changed.
 */
export function applyEvents(
  timeline: readonly ChatMessage[],
  incoming: readonly ChatMessage[],
): readonly ChatMessage[] {
  const events = incoming.filter((m) => isChange(m) && m.targetId !== undefined);
  if (events.length === 0) return timeline;
  const at = new Map<string, number>();
  for (const [index, message] of timeline.entries()) at.set(message.id, index);
  let result: ChatMessage[] | null = null;
  for (const event of [...events].sort((a, b) => a.seq - b.seq)) {
    const index = at.get(event.targetId ?? '');
    if (index === undefined) continue;
    const current = (result ?? timeline)[index];
    if (!current || event.seq <= (current.changedSeq ?? current.seq)) continue;
    result ??= [...timeline];
    result[index] = applyEvent(current, event);
  }
  return result ?? timeline;
}

function applyEvent(target: ChatMessage, event: ChatMessage): ChatMessage {
  const changed = { ...target, changedSeq: event.seq };
  switch (event.type) {
    case 'edit':
      return { ...changed, message: event.message, edited: event.sent };
    case 'delete': {
      const { reactions: _, edited: __, ...rest } = changed;
      return { ...rest, message: '', deleted: true };
    }
    case 'reaction': {
      const reactions = react(target.reactions ?? [], event);
      const { reactions: _, ...rest } = changed;
      return reactions.length > 0 ? { ...rest, reactions } : rest;
    }
    default:
      return target;
  }
}

/** The reactions after one user adds or takes back one emoji; an emoji nobody holds goes. */
function react(reactions: readonly ReactionView[], event: ChatMessage): ReactionView[] {
  const emoji = event.message;
  const user = { id: event.memberId, name: event.memberName };
  const existing = reactions.find((r) => r.emoji === emoji);
  if (event.removed) {
    if (!existing) return [...reactions];
    const users = existing.users.filter((u) => u.id !== user.id);
    return reactions
      .map((r) => (r === existing ? { emoji, count: users.length, users } : r))
      .filter((r) => r.count > 0);
  }
  if (!existing) return [...reactions, { emoji, count: 1, users: [user] }];
  if (existing.users.some((u) => u.id === user.id)) return [...reactions];
  const users = [...existing.users, user];
  return reactions.map((r) => (r === existing ? { emoji, count: users.length, users } : r));
}
