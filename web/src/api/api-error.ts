import type { ErrorBody, ErrorCode } from '../protocol.js';

/** `network`: no answer at all (offline, server down); the rest are the server's codes. */
export type ClientErrorCode = ErrorCode | 'network';

/** A failed call, carrying the server's stable code so the UI can say what happened and where. */
export class ApiError extends Error {
  constructor(
    readonly code: ClientErrorCode,
    message: string,
    readonly status: number,
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  static fromBody(status: number, body: ErrorBody | undefined): ApiError {
    if (!body) return new ApiError('internal', `The server answered ${status}.`, status);
    return new ApiError(body.code, body.message, status, body.retryAfterMs);
  }

  static network(): ApiError {
    return new ApiError('network', 'Cannot reach the server. Check your connection.', 0);
  }
}

export function describeError(err: unknown): string {
  if (err instanceof ApiError) return err.message;
  return 'Something went wrong. Please try again.';
}
