import { type Static, Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { ChatError } from '../../core/errors.js';
import type { Groups } from '../../core/groups.js';
import type { Limits } from '../../core/limits.js';
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
const RoomParams = Type.Object({ roomId: Type.String({ description: 'The room id' }) });
type RoomParams = Static<typeof RoomParams>;
/** Strings here: parseHistoryQuery checks them, with the contract's wording. */
const HistoryParams = Type.Object({
  after: Type.Optional(Type.String({ description: 'Messages with a seq above this (exclusive)' })),
  before: Type.Optional(Type.String({ description: 'Messages with a seq below this (exclusive)' })),
  limit: Type.Optional(Type.String({ description: '1 to 200, default 50' })),
});
type HistoryParams = Static<typeof HistoryParams>;
/** A token is optional on most room routes: without one the caller is anonymous, where guests are allowed. */
const OPTIONAL_BEARER: Array<Record<string, string[]>> = [{}, { bearer: [] }];
/**
 * Someone to add: by username or by id (exactly one; the core says which is
 * missing). Any length: one that names nobody is user_not_found.
 */
export const PersonRef = Type.Object({
  username: Type.Optional(Type.String()),
  userId: Type.Optional(Type.String()),
});
const NewRole = Type.Object({ role: Type.Union([Type.Literal('admin'), Type.Literal('member')]) });
const MemberParams = Type.Object({
  roomId: Type.String({ description: 'The room id' }),
  userId: Type.String({ description: "The member's user id" }),
});
type MemberParams = Static<typeof MemberParams>;

export const HISTORY_LIMIT_DEFAULT = 50;
export const HISTORY_LIMIT_MAX = 200;

export function roomsRoutes(
  app: FastifyInstance,
  rooms: Rooms,
  groups: Groups,
  auth: Authenticator,
  limits: Limits,
): void {
  app.post<{ Body: Static<typeof NewRoom> | undefined }>(
    '/api/room',
    {
      schema: {
        tags: ['rooms'],
        summary: 'Create a room: 201 {roomId, roomName, visibility}',
        security: OPTIONAL_BEARER,
        body: NewRoom,
      },
    },
    async (request, reply) => {
      const user = await auth.optional(request);
      await limits.checkRoomCreation(request.ip);
      const room = await rooms.create(user, request.body ?? {});
      return reply.status(201).send(room);
    },
  );

  app.get<{ Params: RoomParams }>(
    '/api/room/:roomId',
    {
      schema: {
        tags: ['rooms'],
        summary: 'A room and its members',
        security: OPTIONAL_BEARER,
        params: RoomParams,
      },
    },
    async (request) => rooms.detail(await auth.optional(request), request.params.roomId),
  );

  app.get<{ Params: RoomParams; Querystring: HistoryParams }>(
    '/api/room/:roomId/messages',
    {
      schema: {
        tags: ['rooms'],
        summary: 'A page of history, ascending by seq',
        security: OPTIONAL_BEARER,
        params: RoomParams,
        querystring: HistoryParams,
      },
    },
    async (request) => {
      const query = parseHistoryQuery(request.query);
      return rooms.history(await auth.optional(request), request.params.roomId, query);
    },
  );

  app.post<{ Params: RoomParams; Body: Static<typeof PersonRef> | undefined }>(
    '/api/room/:roomId/members',
    {
      schema: {
        tags: ['rooms'],
        summary: 'The owner or an admin (any member in a public room) adds an account: 204',
        security: [{ bearer: [] }],
        params: RoomParams,
        body: PersonRef,
      },
    },
    async (request, reply) => {
      const user = await auth.required(request);
      await groups.add(user, request.params.roomId, request.body ?? {});
      return reply.status(204).send();
    },
  );

  app.delete<{ Params: MemberParams }>(
    '/api/room/:roomId/members/:userId',
    {
      schema: {
        tags: ['rooms'],
        summary: 'Remove a member (owner, admins), or leave (oneself): 204',
        security: [{ bearer: [] }],
        params: MemberParams,
      },
    },
    async (request, reply) => {
      const user = await auth.required(request);
      await groups.remove(user, request.params.roomId, request.params.userId);
      return reply.status(204).send();
    },
  );

  app.patch<{ Params: MemberParams; Body: Static<typeof NewRole> | undefined }>(
    '/api/room/:roomId/members/:userId',
    {
      schema: {
        tags: ['rooms'],
        summary: 'The owner makes a member an admin, or an admin a member: 204',
        security: [{ bearer: [] }],
        params: MemberParams,
        body: NewRole,
      },
    },
    async (request, reply) => {
      const user = await auth.required(request);
      const role = request.body?.role;
      if (!role) throw new ChatError('invalid_request', 'body must have role "admin" or "member".');
      await groups.setRole(user, request.params.roomId, request.params.userId, role);
      return reply.status(204).send();
    },
  );

  const list = {
    tags: ['rooms'],
    summary: "Public rooms and the caller's private ones, newest activity first",
    security: OPTIONAL_BEARER,
  };
  app.get('/api/rooms', { schema: list }, async (request) =>
    rooms.list(await auth.optional(request)),
  );
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
