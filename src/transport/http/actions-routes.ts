import { type Static, Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply } from 'fastify';
import {
  type Actions,
  SEARCH_LIMIT_DEFAULT,
  SEARCH_LIMIT_MAX,
  type Unchanged,
} from '../../core/actions.js';
import { ChatError } from '../../core/errors.js';
import type { AppendResult } from '../../core/ports/store.js';
import type { Rooms } from '../../core/rooms.js';
import type { Authenticator } from './authenticate.js';

const MessageParams = Type.Object({
  roomId: Type.String({ description: 'The room id' }),
  messageId: Type.String({ description: 'The message id' }),
});
type MessageParams = Static<typeof MessageParams>;
const ReactionParams = Type.Object({
  roomId: Type.String({ description: 'The room id' }),
  messageId: Type.String({ description: 'The message id' }),
  emoji: Type.String({ description: 'The emoji, URL-encoded' }),
});
type ReactionParams = Static<typeof ReactionParams>;
const RoomParams = Type.Object({ roomId: Type.String({ description: 'The room id' }) });
type RoomParams = Static<typeof RoomParams>;
const Edit = Type.Object({ message: Type.String() });
const Topic = Type.Object({ topic: Type.String() });
const Notify = Type.Object({
  level: Type.Union([Type.Literal('all'), Type.Literal('mentions'), Type.Literal('none')]),
});
/** Strings here: the core checks them, with clear wording. */
const SearchParams = Type.Object({
  q: Type.Optional(Type.String({ description: 'Words to find, 1 to 200 characters' })),
  roomId: Type.Optional(Type.String({ description: 'One room only' })),
  before: Type.Optional(Type.String({ description: 'The `next` of the previous page' })),
  limit: Type.Optional(Type.String({ description: '1 to 50, default 20' })),
});
type SearchParams = Static<typeof SearchParams>;
const BEARER: Array<Record<string, string[]>> = [{ bearer: [] }];
const OPTIONAL_BEARER: Array<Record<string, string[]>> = [{}, { bearer: [] }];

/** Edits, deletions, reactions and topics over HTTP (the same rules as their frames), and search. */
export function actionsRoutes(
  app: FastifyInstance,
  actions: Actions,
  rooms: Rooms,
  auth: Authenticator,
): void {
  app.put<{ Params: RoomParams; Body: Static<typeof Notify> }>(
    '/api/room/:roomId/notify',
    {
      schema: {
        tags: ['rooms'],
        summary: "The caller's notification level in the room (all, mentions, none): 204",
        security: BEARER,
        params: RoomParams,
        body: Notify,
      },
    },
    async (request, reply) => {
      const user = await auth.required(request);
      const body = request.body ?? missing('level');
      await rooms.setNotify(user, request.params.roomId, body.level);
      return reply.status(204).send();
    },
  );

  app.patch<{ Params: MessageParams; Body: Static<typeof Edit> }>(
    '/api/room/:roomId/messages/:messageId',
    {
      schema: {
        tags: ['messages'],
        summary: 'Edit one\'s own message: 200 the stored "edit" event',
        security: BEARER,
        params: MessageParams,
        body: Edit,
      },
    },
    async (request) => {
      const user = await auth.required(request);
      const { roomId, messageId } = request.params;
      const body = request.body ?? missing('message');
      return (await actions.edit(user, roomId, messageId, body.message, undefined)).message;
    },
  );

  app.delete<{ Params: MessageParams }>(
    '/api/room/:roomId/messages/:messageId',
    {
      schema: {
        tags: ['messages'],
        summary:
          'Delete a message (one\'s own; owner and admins: any): 200 the stored "delete" event',
        security: BEARER,
        params: MessageParams,
      },
    },
    async (request) => {
      const user = await auth.required(request);
      const { roomId, messageId } = request.params;
      return (await actions.delete(user, roomId, messageId, undefined)).message;
    },
  );

  for (const method of ['PUT', 'DELETE'] as const) {
    app.route<{ Params: ReactionParams }>({
      method,
      url: '/api/room/:roomId/messages/:messageId/reactions/:emoji',
      schema: {
        tags: ['messages'],
        summary:
          method === 'PUT'
            ? 'React with an emoji: 200 the stored "reaction" event; 204 if already so'
            : 'Take a reaction back: 200 the stored "reaction" event; 204 if there was none',
        security: BEARER,
        params: ReactionParams,
      },
      handler: async (request, reply) => {
        const user = await auth.required(request);
        const { roomId, messageId, emoji } = request.params;
        const remove = method === 'DELETE';
        return answer(
          reply,
          await actions.react(user, roomId, messageId, emoji, remove, undefined),
        );
      },
    });
  }

  app.put<{ Params: RoomParams; Body: Static<typeof Topic> }>(
    '/api/room/:roomId/topic',
    {
      schema: {
        tags: ['rooms'],
        summary: 'Set the room\'s topic ("" clears it): 200 the stored "topic" event',
        security: BEARER,
        params: RoomParams,
        body: Topic,
      },
    },
    async (request) => {
      const user = await auth.required(request);
      const body = request.body ?? missing('topic');
      return (await actions.setTopic(user, request.params.roomId, body.topic, undefined)).message;
    },
  );

  app.get<{ Querystring: SearchParams }>(
    '/api/search',
    {
      schema: {
        tags: ['messages'],
        summary: 'Search the messages of the rooms one may read, newest first: {results, next?}',
        security: OPTIONAL_BEARER,
        querystring: SearchParams,
      },
    },
    async (request) => {
      const { q, roomId, before } = request.query;
      if (q === undefined) missing('q');
      return actions.search(await auth.optional(request), {
        q,
        roomId,
        before,
        limit: parseLimit(request.query.limit),
      });
    },
  );
}

function answer(reply: FastifyReply, result: AppendResult | Unchanged) {
  if ('unchanged' in result) return reply.status(204).send();
  return result.message;
}

function missing(field: string): never {
  throw new ChatError('invalid_request', `${field} is required.`);
}

function parseLimit(raw: string | undefined): number {
  if (raw === undefined) return SEARCH_LIMIT_DEFAULT;
  const limit = /^\d{1,3}$/.test(raw) ? Number(raw) : 0;
  if (limit < 1 || limit > SEARCH_LIMIT_MAX) {
    throw new ChatError('invalid_request', `limit must be from 1 to ${SEARCH_LIMIT_MAX}.`);
  }
  return limit;
}
