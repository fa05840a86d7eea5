import type { FastifyInstance } from 'fastify';
import type { CommandInfo } from '../../protocol/commands.js';

/** `GET /api/commands`: `[{name, usage, help}]`, for clients' command menus. */
export function commandsRoute(app: FastifyInstance, commands: readonly CommandInfo[]): void {
  const body = commands.map(({ name, usage, help }) => ({ name, usage, help }));
  const schema = {
    tags: ['commands'],
    summary: 'The slash commands, /help first: [{name, usage, help}], for a command menu',
  };
  app.get('/api/commands', { schema }, async () => body);
}
