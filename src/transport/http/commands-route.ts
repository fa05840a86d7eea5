import type { FastifyInstance } from 'fastify';
import type { CommandInfo } from '../../protocol/commands.js';

/** `GET /api/commands`: `[{name, usage, help}]`, for clients' command menus. */
export function commandsRoute(app: FastifyInstance, commands: readonly CommandInfo[]): void {
  const body = commands.map(({ name, usage, help }) => ({ name, usage, help }));
  app.get('/api/commands', async () => body);
}
