import type { BotCommand } from '../core/ports/bot-command.js';
import type { CommandAnswer, CommandRequest } from '../core/ports/command-queue.js';

export type CommandRunner = (request: CommandRequest) => Promise<CommandAnswer>;

/** Looks the command up and runs it; whatever goes wrong becomes a `failed` answer, never a crash. */
export function commandRunner(
  commands: readonly BotCommand[],
  onError: (err: unknown) => void,
): CommandRunner {
  const byName = new Map(commands.map((c) => [c.name, c]));
  return async ({ correlationId, name, args }) => {
    const command = byName.get(name);
    if (!command) {
      return { correlationId, name, type: 'failed', text: `This bot does not know /${name}.` };
    }
    try {
      return { correlationId, name, ...(await command.run(args)) };
    } catch (err) {
      onError(err);
      return { correlationId, name, type: 'failed', text: `/${name} failed; try again later.` };
    }
  };
}
