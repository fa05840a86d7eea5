/**
 * Every error code the server can send, over HTTP or the WebSocket.
 * docs/protocol.md lists each one; a test keeps the two in step.
 */
export const ERROR_CODES = [
  'invalid_request',
  'message_too_long',
  'not_member',
  'room_not_found',
  'username_taken',
  'invalid_credentials',
  'account_banned',
  'unauthorized',
  'forbidden',
  'rate_limited',
  'message_rejected',
  'too_many_connections',
  'too_many_rooms',
  'unknown_command',
  'command_timeout',
  'user_not_found',
  'message_not_found',
  'too_many_reactions',
  'blocked',
  'not_found',
  'payload_too_large',
  'headers_too_large',
  'store_unavailable',
  'bus_unavailable',
  'shutting_down',
  'internal',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export interface ErrorBody {
  code: ErrorCode;
  message: string;
  retryAfterMs?: number;
}

/**
 * WebSocket close codes. 1012 and 4000-4099: reconnect and resume with `since`;
 * 4400-4499: do not reconnect as before (new token, other room, or wait).
 * The 44xx codes are HTTP's status plus 4000, so that 4401, which the
 * contract fixes, reads as the 401 it is. Clients written for
 * Centrifuge-style servers reconnect on all of 4000-4499: against Confab
 * they would retry a dead token or a missing room in a loop, so docs/protocol.md
 * says which codes mean what.
 */
export const CLOSE_CODES = {
  /** The node is draining for a restart (RFC 6455's "service restart"). Reconnect with jitter and resume. */
  serviceRestart: 1012,
  /** The client read too slowly and its send queue overflowed. Reconnect and resume. */
  slowConsumer: 4000,
  /** The node could not serve this connection (a dependency failed). Reconnect (to any node) and resume. */
  goingAway: 4001,
  /** Token missing, invalid or expired. Get a new token first. */
  unauthorized: 4401,
  /** `/api/serve/:roomId` named a room that does not exist or is not yours to see. */
  roomNotFound: 4404,
  /** Too many connections for this user or address. Wait, then retry. */
  tooManyConnections: 4429,
} as const;
