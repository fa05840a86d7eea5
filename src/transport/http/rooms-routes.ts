import { type Static, Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { ChatError } from '../../core/errors.js';
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
const NewMember = Type.Object({ username: Type.String({ maxLength: 256 }) });
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

export const HISTORY_LIMIT_DEFAULT = 50;
export const HISTORY_LIMIT_MAX = 200;

export function roomsRoutes(
  app: FastifyInstance,
  rooms: Rooms,
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

  app.post<{ Params: RoomParams; Body: Static<typeof NewMember> }>(
    '/api/room/:roomId/members',
    {
      schema: {
        tags: ['rooms'],
        summary: 'A member adds an account to the room: 204',
        security: [{ bearer: [] }],
        params: RoomParams,
        body: NewMember,
      },
    },
    async (request, reply) => {
      const user = await auth.required(request);
      await rooms.addMember(user, request.params.roomId, request.body.username);
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
