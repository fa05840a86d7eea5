import type { BotCommand } from '../core/ports/bot-command.js';
import { type StockSettings, stockCommand } from './stock.js';
import { timeCommand } from './time.js';

export interface BotSettings {
  stock: StockSettings;
}

/**
 * Every command the bot workers carry out: adding one is a file in this
 * folder and a line here (docs/bots.md). Nodes read the names and help from
 * the same list, for `/help`, `GET /api/commands` and `unknown_command`.
 */
export function botCommands(settings: BotSettings): BotCommand[] {
  return [stockCommand(settings.stock), timeCommand()];
}
