import { type Static, Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Blocks } from '../../core/blocks.js';
import type { DirectRooms } from '../../core/direct-rooms.js';
import { ChatError } from '../../core/errors.js';
import type { ContactQuery } from '../../core/ports/store.js';
import type { Authenticator } from './authenticate.js';
import { PersonRef } from './rooms-routes.js';

export const CONTACTS_LIMIT_DEFAULT = 15;
export const CONTACTS_LIMIT_MAX = 100;
/** The longest `q` taken by contacts and user search (a username is at most 32). */
const QUERY_MAX = 100;

const UserParams = Type.Object({ userId: Type.String({ description: 'The user id' }) });
type UserParams = Static<typeof UserParams>;
/** Strings here: parseContactQuery checks them, with the contract's wording. */
const ContactParams = Type.Object({
  limit: Type.Optional(Type.String({ description: '1 to 100, default 15' })),
  q: Type.Optional(Type.String({ description: 'Keeps the contacts whose name contains it' })),
});
type ContactParams = Static<typeof ContactParams>;
const UserQuery = Type.Object({
  q: Type.Optional(Type.String({ description: 'The start of a username, 2 characters or more' })),
});
const BEARER = [{ bearer: [] }];
const doc = (summary: string, more: Record<string, unknown> = {}) => ({
  schema: { tags: ['people'], summary, security: BEARER, ...more },
});

/** Direct conversations, contacts, user search and blocking: every call needs a token. */
export function socialRoutes(
  app: FastifyInstance,
  direct: DirectRooms,
  blocks: Blocks,
  auth: Authenticator,
): void {
  app.post<{ Body: Static<typeof PersonRef> | undefined }>(
    '/api/dm',
    doc('The direct conversation with a user, made on first use: 200', { body: PersonRef }),
    async (request) => direct.open(await auth.required(request), request.body ?? {}, request.ip),
  );

  app.get<{ Querystring: ContactParams }>(
    '/api/contacts',
    doc('Direct conversations, latest message first', { querystring: ContactParams }),
    async (request) => {
      const user = await auth.required(request);
      return direct.contacts(user, parseContactQuery(request.query));
    },
  );

  app.get<{ Querystring: { q?: string } }>(
    '/api/users',
    doc('Accounts whose username starts with q, at most 20', { querystring: UserQuery }),
    async (request) => {
      await auth.required(request);
      return direct.searchUsers(boundedQuery(request.query.q) ?? '');
    },
  );

  app.get('/api/blocks', doc('The users the caller has blocked'), async (request) =>
    blocks.list(await auth.required(request)),
  );

  app.put<{ Params: UserParams }>(
    '/api/blocks/:userId',
    doc('Block a user: 204', { params: UserParams }),
    async (request, reply) => {
      await blocks.block(await auth.required(request), request.params.userId);
      return reply.status(204).send();
    },
  );

  app.delete<{ Params: UserParams }>(
    '/api/blocks/:userId',
    doc('Unblock a user: 204', { params: UserParams }),
    async (request, reply) => {
      await blocks.unblock(await auth.required(request), request.params.userId);
      return reply.status(204).send();
    },
  );
}

/** `limit` is a whole number from 1 to 100 (default 15); `q` at most 100 characters. */
export function parseContactQuery(params: ContactParams): ContactQuery {
  let limit = CONTACTS_LIMIT_DEFAULT;
  if (params.limit !== undefined) {
    if (!/^\d{1,4}$/.test(params.limit)) {
      throw new ChatError('invalid_request', 'limit must be a whole number.');
    }
    limit = Number(params.limit);
  }
  if (limit < 1 || limit > CONTACTS_LIMIT_MAX) {
    throw new ChatError('invalid_request', `limit must be from 1 to ${CONTACTS_LIMIT_MAX}.`);
  }
  return { limit, q: boundedQuery(params.q) || undefined };
}

function boundedQuery(q: string | string[] | undefined): string | undefined {
  if (Array.isArray(q)) throw new ChatError('invalid_request', 'Give q once.');
  if (q !== undefined && q.length > QUERY_MAX) {
    throw new ChatError('invalid_request', `q is at most ${QUERY_MAX} characters.`);
  }
  return q;
}
