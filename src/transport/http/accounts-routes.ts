import { type Static, Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { type Accounts, toUserView } from '../../core/accounts.js';
import { ChatError } from '../../core/errors.js';
import type { Authenticator } from './authenticate.js';

const Credentials = Type.Object({
  username: Type.String({ maxLength: 256 }),
  password: Type.String({ maxLength: 1024 }),
});
type Credentials = Static<typeof Credentials>;

export function accountsRoutes(
  app: FastifyInstance,
  accounts: Accounts,
  auth: Authenticator,
  allowGuests: boolean,
): void {
  app.post<{ Body: Credentials }>(
    '/api/signup',
    { schema: { body: Credentials } },
    async (request, reply) => {
      const session = await accounts.signup(request.body.username, request.body.password);
      return reply.status(201).send(session);
    },
  );

  app.post<{ Body: Credentials }>('/api/login', { schema: { body: Credentials } }, (request) =>
    accounts.login(request.body.username, request.body.password),
  );

  app.post('/api/guest', async (_request, reply) => {
    if (!allowGuests) throw new ChatError('forbidden', 'Guests are not allowed on this server.');
    return reply.status(201).send(await accounts.guest());
  });

  app.get('/api/me', async (request) => ({ user: toUserView(await auth.required(request)) }));

  // Signs out on every device: each token issued so far is refused from now on.
  app.post('/api/logout', async (request, reply) => {
    await accounts.signOut(await auth.required(request));
    return reply.status(204).send();
  });
}
