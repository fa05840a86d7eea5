import { type Static, Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { type Accounts, toUserView } from '../../core/accounts.js';
import { ChatError } from '../../core/errors.js';
import type { Limits } from '../../core/limits.js';
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
  limits: Limits,
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
      await limits.checkSignup(request.ip);
      const session = await accounts.signup(request.body.username, request.body.password);
      return reply.status(201).send(session);
    },
  );

  // LOGIN_RATE: while a username or address is limited, no password is hashed at all.
  // Each attempt counts from its start, so concurrent ones cannot all slip past the limit.
  app.post<{ Body: Credentials }>(
    '/api/login',
    { schema: { tags: ['accounts'], summary: 'Log in: 200 {token, user}', body: Credentials } },
    async (request) => {
      const { username, password } = request.body;
      await limits.checkLogin(username, request.ip);
      try {
        const session = await accounts.login(username, password);
        await limits.loginSucceeded(username, request.ip);
        return session;
      } catch (err) {
        if (!(err instanceof ChatError && err.code === 'invalid_credentials')) {
          await limits.loginSucceeded(username, request.ip);
        }
        throw err;
      }
    },
  );

  const guest = { tags: ['accounts'], summary: 'A guest account and its token: 201 {token, user}' };
  app.post('/api/guest', { schema: guest }, async (request, reply) => {
    if (!allowGuests) throw new ChatError('forbidden', 'Guests are not allowed on this server.');
    await limits.checkGuest(request.ip);
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

  // Signs out on every device: each token issued so far is refused from now on.
  const logout = {
    tags: ['accounts'],
    summary: 'Sign out on every device: 204',
    security: BEARER,
  };
  app.post('/api/logout', { schema: logout }, async (request, reply) => {
    await accounts.signOut(await auth.required(request));
    return reply.status(204).send();
  });
}
