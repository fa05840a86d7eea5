import { type ChatError, toChatError } from '../../core/errors.js';
import type { Logger } from '../../logger.js';
import { CLOSE_CODES } from '../../protocol/errors.js';
import type { ServerFrame } from '../../protocol/frames.js';

/**
 * Every WebSocket failure goes through here, as every HTTP one goes through
 * ../http/errors.ts. It becomes exactly one of: an error frame (the
 * connection goes on), an error frame then a close whose code tells the
 * client what to do next, or, for what we did not expect, a logged error
 * that the client sees only as `internal`.
 */

/** The error frame of a failure; `id` is the failed frame's, when it had one. */
export function errorFrame(error: ChatError, id?: string): ServerFrame {
  return id === undefined
    ? { type: 'error', ...error.toBody() }
    : { type: 'error', id, ...error.toBody() };
}

/** The close code of a failure that ends the connection (CLOSE_CODES says what each asks of a client). */
export function closeCodeFor(error: ChatError): number {
  switch (error.code) {
    case 'unauthorized':
      return CLOSE_CODES.unauthorized;
    case 'room_not_found':
      return CLOSE_CODES.roomNotFound;
    case 'too_many_connections':
    case 'rate_limited':
      return CLOSE_CODES.tooManyConnections;
    case 'shutting_down':
      return CLOSE_CODES.serviceRestart;
    default:
      return CLOSE_CODES.goingAway;
  }
}

/** A thrown value as the error the client is told; an `internal` one is logged here, once. */
export function toClientError(err: unknown, log: Logger, what: string): ChatError {
  const error = toChatError(err);
  if (error.code === 'internal') log.error({ err }, what);
  return error;
}
