import type { ReactionView } from '../../protocol.js';

/**
 * A message's reactions: each emoji with its count, pressed when the reader
 * is among those who reacted (a click takes it back, or adds it). Who
 * reacted is in the title and the accessible name.
 */
export function Reactions({
  reactions,
  meId,
  active,
  onToggle,
}: {
  reactions: readonly ReactionView[];
  meId: string;
  active: boolean;
  /** Absent when the reader may not react (not a member). */
  onToggle?: ((emoji: string) => void) | undefined;
}) {
  return (
    <ul class="reactions" aria-label="Reactions">
      {reactions.map((reaction) => {
        const mine = reaction.users.some((u) => u.id === meId);
        const who = reaction.users.map((u) => (u.id === meId ? 'you' : u.name)).join(', ');
        return (
          <li key={reaction.emoji}>
            <button
              type="button"
              class={`reaction${mine ? ' reaction--mine' : ''}`}
              aria-pressed={mine}
              aria-label={`${reaction.emoji} ${reaction.count}: ${who}`}
              title={`${who} reacted with ${reaction.emoji}`}
              tabIndex={active ? 0 : -1}
              disabled={!onToggle}
              onClick={() => onToggle?.(reaction.emoji)}
            >
              <span class="reaction-emoji" aria-hidden="true">
                {reaction.emoji}
              </span>
              <span class="reaction-count" aria-hidden="true">
                {reaction.count}
              </span>
            </button>
          </li>
        );
      })}
    </ul>
  );
}
