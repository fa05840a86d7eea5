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

export function accountsRoutes(
  app: FastifyInstance,
  accounts: Accounts,
  auth: Authenticator,
  allowGuests: boolean,
  limits: Limits,
): void {
  app.post<{ Body: Credentials }>(
    '/api/signup',
    { schema: { body: Credentials } },
    async (request, reply) => {
      const session = await accounts.signup(request.body.username, request.body.password);
      return reply.status(201).send(session);
    },
  );

  // LOGIN_RATE: while a username or address is limited, no password is hashed at all.
  app.post<{ Body: Credentials }>(
    '/api/login',
    { schema: { body: Credentials } },
    async (request) => {
      const { username, password } = request.body;
      await limits.checkLogin(username, request.ip);
      try {
        return await accounts.login(username, password);
      } catch (err) {
        if (err instanceof ChatError && err.code === 'invalid_credentials') {
          await limits.loginFailed(username, request.ip);
        }
        throw err;
      }
    },
  );

  app.post('/api/guest', async (request, reply) => {
    if (!allowGuests) throw new ChatError('forbidden', 'Guests are not allowed on this server.');
    await limits.checkGuest(request.ip);
    return reply.status(201).send(await accounts.guest());
  });

  app.get('/api/me', async (request) => ({ user: toUserView(await auth.required(request)) }));

  // Signs out on every device: each token issued so far is refused from now on.
  app.post('/api/logout', async (request, reply) => {
    await accounts.signOut(await auth.required(request));
    return reply.status(204).send();
  });
}
