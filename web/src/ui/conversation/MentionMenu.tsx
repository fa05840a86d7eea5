import type { MemberView } from '../../protocol.js';
import { Avatar } from '../common/Avatar.js';

export const mentionOptionId = (id: string) => `mention-${id}`;

/**
 * The room's members whose name starts with what follows the `@` being
 * typed, above the message box. As with the command menu, the box keeps the
 * focus and points at the highlighted option; a click picks too.
 */
export function MentionMenu({
  members,
  active,
  onPick,
}: {
  members: readonly MemberView[];
  active: string;
  onPick: (id: string) => void;
}) {
  return (
    <div id="mention-menu" class="command-menu" role="listbox" aria-label="People to mention">
      {members.map((member) => (
        <div
          key={member.id}
          id={mentionOptionId(member.id)}
          role="option"
          tabIndex={-1}
          aria-selected={member.id === active}
          class={
            member.id === active
              ? 'command-option mention-option command-option--active'
              : 'command-option mention-option'
          }
          // mousedown, not click: the box keeps the focus.
          onMouseDown={(event) => {
            event.preventDefault();
            onPick(member.id);
          }}
        >
          <Avatar id={member.id} name={member.name} />
          <span class="command-usage">{member.name}</span>
          {member.online && <span class="command-help">online</span>}
        </div>
      ))}
    </div>
  );
}
