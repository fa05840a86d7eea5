import type { ErrorBody, ErrorCode } from '../protocol/errors.js';

/** Each code's HTTP status and default wording. WebSocket errors carry the same code. */
export const ERROR_CATALOGUE: Record<ErrorCode, { status: number; message: string }> = {
  invalid_request: { status: 400, message: 'The request is malformed.' },
  message_too_long: { status: 413, message: 'The message is too long.' },
  not_member: { status: 403, message: 'Join the room before sending to it.' },
  room_not_found: { status: 404, message: 'No such room.' },
  username_taken: { status: 409, message: 'That username is taken.' },
  invalid_credentials: { status: 401, message: 'Wrong username or password.' },
  account_banned: { status: 403, message: 'This account is banned.' },
  unauthorized: { status: 401, message: 'A valid token is required.' },
  forbidden: { status: 403, message: 'You may not do that.' },
  rate_limited: { status: 429, message: 'Too many messages; slow down.' },
  message_rejected: {
    status: 422,
    message: 'The message breaks a content rule; nothing was stored.',
  },
  too_many_connections: { status: 429, message: 'Too many open connections.' },
  too_many_rooms: { status: 429, message: 'This connection has joined too many rooms.' },
  unknown_command: { status: 400, message: 'No such command; /help lists them.' },
  command_timeout: { status: 504, message: 'No bot answered the command in time.' },
  user_not_found: { status: 404, message: 'No such user.' },
  message_not_found: { status: 404, message: 'No such message in this room.' },
  too_many_reactions: {
    status: 409,
    message: 'This message has as many different reactions as it may.',
  },
  blocked: { status: 403, message: 'One of you has blocked the other.' },
  not_found: { status: 404, message: 'No such route.' },
  payload_too_large: { status: 413, message: 'The request body or frame is too large.' },
  headers_too_large: { status: 431, message: "The request's headers are too large." },
  store_unavailable: {
    status: 503,
    message: 'The message store is unavailable; nothing was stored.',
  },
  bus_unavailable: { status: 503, message: 'The message bus is unavailable.' },
  shutting_down: { status: 503, message: 'The server is shutting down.' },
  internal: { status: 500, message: 'Something went wrong on our side.' },
};

/** An expected failure with a stable code: turned into an HTTP answer or an error frame at the edge. */
export class ChatError extends Error {
  readonly code: ErrorCode;
  readonly retryAfterMs: number | undefined;

  constructor(code: ErrorCode, message?: string, retryAfterMs?: number) {
    super(message ?? ERROR_CATALOGUE[code].message);
    this.name = 'ChatError';
    this.code = code;
    this.retryAfterMs = retryAfterMs;
  }

  get status(): number {
    return ERROR_CATALOGUE[this.code].status;
  }

  toBody(): ErrorBody {
    const body: ErrorBody = { code: this.code, message: this.message };
    if (this.retryAfterMs !== undefined) body.retryAfterMs = this.retryAfterMs;
    return body;
  }
}

/** Sorts any thrown value into a ChatError; unknown failures become `internal`, leaking nothing. */
export function toChatError(err: unknown): ChatError {
  return err instanceof ChatError ? err : new ChatError('internal');
}
