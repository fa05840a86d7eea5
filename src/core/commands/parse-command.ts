/** `/name`, `/name=args` or `/name args`; the name is case-insensitive. */
const COMMAND = /^\/([A-Za-z][A-Za-z0-9_-]{0,31})(?:[=\s]\s*([\s\S]*))?$/;

export interface ParsedCommand {
  /** Lower case; empty when the text names no command at all (such as `/` alone). */
  name: string;
  args: string;
}

/** Whether a message is a command: its text starts with `/`. */
export function isCommand(text: string): boolean {
  return text.startsWith('/');
}

export function parseCommand(text: string): ParsedCommand {
  const match = COMMAND.exec(text.trim());
  if (!match) return { name: '', args: '' };
  return { name: (match[1] ?? '').toLowerCase(), args: (match[2] ?? '').trim() };
}
