import type { CommandInfo } from '../../protocol/commands.js';

/** What a bot says: `bot` for an answer, `failed` where the command could not be carried out. */
export interface BotAnswer {
  type: 'bot' | 'failed';
  text: string;
}

/**
 * One slash command that a bot worker carries out. Implementations live in
 * `src/bots/` (one file each) and are listed in `src/bots/registry.ts`.
 * `run` never rejects for a failure it can explain: it answers `failed`.
 */
export interface BotCommand extends CommandInfo {
  run(args: string): Promise<BotAnswer>;
}
