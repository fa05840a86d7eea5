import { type Static, Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { ChatError } from '../../core/errors.js';
import type { Groups } from '../../core/groups.js';
import type { HistoryQuery } from '../../core/ports/store.js';
import type { Rooms } from '../../core/rooms.js';
import type { Authenticator } from './authenticate.js';

const NewRoom = Type.Union([
  Type.Object({
    name: Type.Optional(Type.String({ maxLength: 256 })),
    visibility: Type.Optional(Type.Union([Type.Literal('public'), Type.Literal('private')])),
  }),
  Type.Null(),
]);
/** Someone to add: by username or by id (exactly one; the core says which is missing). */
export const PersonRef = Type.Object({
  username: Type.Optional(Type.String({ maxLength: 256 })),
  userId: Type.Optional(Type.String({ maxLength: 256 })),
});
const NewRole = Type.Object({ role: Type.Union([Type.Literal('admin'), Type.Literal('member')]) });
type RoomParams = { roomId: string };
type MemberParams = { roomId: string; userId: string };
type HistoryParams = { after?: string; before?: string; limit?: string };

export const HISTORY_LIMIT_DEFAULT = 50;
export const HISTORY_LIMIT_MAX = 200;

export function roomsRoutes(
  app: FastifyInstance,
  rooms: Rooms,
  groups: Groups,
  auth: Authenticator,
): void {
  app.post<{ Body: Static<typeof NewRoom> | undefined }>(
    '/api/room',
    { schema: { body: NewRoom } },
    async (request, reply) => {
      const user = await auth.optional(request);
      const room = await rooms.create(user, request.body ?? {});
      return reply.status(201).send(room);
    },
  );

  app.get<{ Params: RoomParams }>('/api/room/:roomId', async (request) =>
    rooms.detail(await auth.optional(request), request.params.roomId),
  );

  app.get<{ Params: RoomParams; Querystring: HistoryParams }>(
    '/api/room/:roomId/messages',
    async (request) => {
      const query = parseHistoryQuery(request.query);
      return rooms.history(await auth.optional(request), request.params.roomId, query);
    },
  );

  app.post<{ Params: RoomParams; Body: Static<typeof PersonRef> | undefined }>(
    '/api/room/:roomId/members',
    { schema: { body: PersonRef } },
    async (request, reply) => {
      const user = await auth.required(request);
      await groups.add(user, request.params.roomId, request.body ?? {});
      return reply.status(204).send();
    },
  );

  app.delete<{ Params: MemberParams }>(
    '/api/room/:roomId/members/:userId',
    async (request, reply) => {
      const user = await auth.required(request);
      await groups.remove(user, request.params.roomId, request.params.userId);
      return reply.status(204).send();
    },
  );

  app.patch<{ Params: MemberParams; Body: Static<typeof NewRole> | undefined }>(
    '/api/room/:roomId/members/:userId',
    { schema: { body: NewRole } },
    async (request, reply) => {
      const user = await auth.required(request);
      const role = request.body?.role;
      if (!role) throw new ChatError('invalid_request', 'body must have role "admin" or "member".');
      await groups.setRole(user, request.params.roomId, request.params.userId, role);
      return reply.status(204).send();
    },
  );

  app.get('/api/rooms', async (request) => rooms.list(await auth.optional(request)));
}

/** Bounds are whole numbers of 0 or more; `limit` is 1 to 200. Anything else is invalid_request. */
export function parseHistoryQuery(params: HistoryParams): HistoryQuery {
  const whole = (name: string, raw: string | undefined): number | undefined => {
    if (raw === undefined) return undefined;
    if (!/^\d{1,15}$/.test(raw)) {
      throw new ChatError('invalid_request', `${name} must be a whole number of 0 or more.`);
    }
    return Number(raw);
  };
  const limit = whole('limit', params.limit) ?? HISTORY_LIMIT_DEFAULT;
  if (limit < 1 || limit > HISTORY_LIMIT_MAX) {
    throw new ChatError('invalid_request', `limit must be from 1 to ${HISTORY_LIMIT_MAX}.`);
  }
  return { after: whole('after', params.after), before: whole('before', params.before), limit };
}
