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
const BEARER = [{ bearer: [] }];

export function accountsRoutes(
  app: FastifyInstance,
  accounts: Accounts,
  auth: Authenticator,
  allowGuests: boolean,
): void {
  app.post<{ Body: Credentials }>(
    '/api/signup',
    {
      schema: {
        tags: ['accounts'],
        summary: 'Create an account: 201 {token, user}',
        body: Credentials,
      },
    },
    async (request, reply) => {
      const session = await accounts.signup(request.body.username, request.body.password);
      return reply.status(201).send(session);
    },
  );

  app.post<{ Body: Credentials }>(
    '/api/login',
    { schema: { tags: ['accounts'], summary: 'Log in: 200 {token, user}', body: Credentials } },
    (request) => accounts.login(request.body.username, request.body.password),
  );

  const guest = { tags: ['accounts'], summary: 'A guest account and its token: 201 {token, user}' };
  app.post('/api/guest', { schema: guest }, async (_request, reply) => {
    if (!allowGuests) throw new ChatError('forbidden', 'Guests are not allowed on this server.');
    return reply.status(201).send(await accounts.guest());
  });

  const me = {
    tags: ['accounts'],
    summary: 'Who the token belongs to: 200 {user}',
    security: BEARER,
  };
  app.get('/api/me', { schema: me }, async (request) => ({
    user: toUserView(await auth.required(request)),
  }));
}
