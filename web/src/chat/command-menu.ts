import type { CommandInfo } from '../protocol.js';

/**
 * The commands to offer for what is typed: while the text is a `/` and the
 * start of a name (nothing after it yet), those whose name starts so.
 */
export function commandMatches(commands: readonly CommandInfo[], text: string): CommandInfo[] {
  const typed = /^\/([A-Za-z0-9_-]*)$/.exec(text);
  if (!typed) return [];
  const start = (typed[1] ?? '').toLowerCase();
  return commands.filter((c) => c.name.startsWith(start) && `/${c.name}` !== text.toLowerCase());
}

/** What picking a command puts in the box: `/stock=` for `/stock=<symbol>`, `/help` for `/help`. */
export function completion(command: CommandInfo): string {
  const rest = command.usage.slice(command.name.length + 1);
  if (rest.startsWith('=')) return `/${command.name}=`;
  if (rest.trim()) return `/${command.name} `;
  return `/${command.name}`;
}
