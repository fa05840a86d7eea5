import type { CommandInfo } from '../../protocol.js';

export const commandOptionId = (name: string) => `command-${name}`;

/**
 * The commands that match what is typed, above the message box. The box
 * keeps the focus and points at the highlighted option
 * (aria-activedescendant); a click picks too.
 */
export function CommandMenu({
  commands,
  active,
  onPick,
}: {
  commands: readonly CommandInfo[];
  active: string;
  onPick: (name: string) => void;
}) {
  return (
    <div id="command-menu" class="command-menu" role="listbox" aria-label="Commands">
      {commands.map((command) => (
        <div
          key={command.name}
          id={commandOptionId(command.name)}
          role="option"
          tabIndex={-1}
          aria-selected={command.name === active}
          class={
            command.name === active ? 'command-option command-option--active' : 'command-option'
          }
          // mousedown, not click: the box keeps the focus.
          onMouseDown={(event) => {
            event.preventDefault();
            onPick(command.name);
          }}
        >
          <span class="command-usage">{command.usage}</span>
          <span class="command-help">{command.help}</span>
        </div>
      ))}
    </div>
  );
}
