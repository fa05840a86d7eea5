import type { Socket } from 'node:net';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ChatError, toChatError } from '../../core/errors.js';

/** Answers with the contract's error shape and the code's status. */
export function sendError(reply: FastifyReply, error: ChatError): FastifyReply {
  if (error.retryAfterMs !== undefined) {
    reply.header('retry-after', Math.ceil(error.retryAfterMs / 1000));
  }
  return reply.status(error.status).send({ error: error.toBody() });
}

/**
 * Every failure leaves as exactly one coded answer: a ChatError as itself,
 * Fastify's own request errors as `invalid_request` or `payload_too_large`,
 * anything else as a logged `internal` that leaks nothing.
 */
export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError, request, reply) => {
    if (err instanceof ChatError) return sendError(reply, err);
    if (err.validation) {
      return sendError(reply, new ChatError('invalid_request', describeValidation(err)));
    }
    if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      return sendError(reply, new ChatError('payload_too_large'));
    }
    if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) {
      return sendError(reply, new ChatError('invalid_request', err.message));
    }
    request.log.error({ err }, 'request failed');
    return sendError(reply, toChatError(err));
  });
  app.setNotFoundHandler((request, reply) =>
    sendError(reply, new ChatError('not_found', `No route for ${request.method} ${request.url}.`)),
  );
}

/**
 * Fastify's `frameworkErrors` hook: a URL that cannot be decoded. Its first
 * malformed segment names nothing, so the answer is that segment's not-found:
 * a room id under /api/room/, a member's or a message's id after it, a user
 * id under /api/blocks/; anything else (a reaction's emoji) is malformed.
 */
export function badUrlHandler(
  _err: FastifyError,
  request: FastifyRequest,
  reply: FastifyReply,
): void {
  sendError(reply, malformedSegment(request.url));
}

const NOT_FOUND_AFTER: Record<string, ChatError['code']> = {
  room: 'room_not_found',
  members: 'user_not_found',
  messages: 'message_not_found',
  blocks: 'user_not_found',
};

function malformedSegment(url: string): ChatError {
  const segments = (url.split('?', 1)[0] ?? '').split('/');
  const bad = segments.findIndex((segment) => !decodes(segment));
  const code = segments[1] === 'api' ? NOT_FOUND_AFTER[segments[bad - 1] ?? ''] : undefined;
  return code ? new ChatError(code) : new ChatError('invalid_request', 'The URL is malformed.');
}

function decodes(segment: string): boolean {
  try {
    decodeURIComponent(segment);
    return true;
  } catch {
    return false;
  }
}

function describeValidation(err: FastifyError): string {
  const first = err.validation?.[0];
  if (!first) return err.message;
  const where = first.instancePath
    ? first.instancePath.slice(1).replaceAll('/', '.')
    : err.validationContext;
  // A union of literals fails once per literal ("must be equal to constant"): name them all.
  const allowed = err.validation
    ?.filter((e) => e.keyword === 'const' && e.instancePath === first.instancePath)
    .map((e) => JSON.stringify((e.params as { allowedValue?: unknown }).allowedValue));
  if (allowed?.length) return `${where ?? 'request'} must be one of ${allowed.join(', ')}`;
  return `${where ?? 'request'} ${first.message ?? 'is invalid'}`;
}

/**
 * Fastify's `clientErrorHandler`: a request Node's parser refused before any
 * route saw it (a bad request line, headers too large). It still gets the
 * contract's JSON shape rather than Node's or Fastify's own. A request that
 * timed out, or a socket already gone, gets nothing: there is nobody to tell.
 */
export function clientErrorHandler(err: NodeJS.ErrnoException, socket: Socket): void {
  if (err.code === 'ECONNRESET' || err.code === 'ERR_HTTP_REQUEST_TIMEOUT' || !socket.writable) {
    socket.destroy();
    return;
  }
  const error =
    err.code === 'HPE_HEADER_OVERFLOW'
      ? new ChatError('headers_too_large')
      : new ChatError('invalid_request', 'The HTTP request is malformed.');
  const body = JSON.stringify({ error: error.toBody() });
  socket.end(
    `HTTP/1.1 ${error.status} ${error.status === 431 ? 'Request Header Fields Too Large' : 'Bad Request'}\r\n` +
      `Content-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
      `Connection: close\r\n\r\n${body}`,
  );
}
