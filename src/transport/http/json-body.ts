import type { FastifyInstance } from 'fastify';
import { ChatError } from '../../core/errors.js';

/**
 * JSON bodies, where an empty body counts as none: `curl -X POST -H
 * 'content-type: application/json' .../api/room` creates a room like a bare POST.
 */
export function installJsonParser(app: FastifyInstance, bodyLimit: number): void {
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser(
    'application/json',
    { parseAs: 'string', bodyLimit },
    (_request, body, done) => {
      const text = String(body);
      if (text.trim() === '') return done(null, undefined);
      try {
        done(null, JSON.parse(text));
      } catch {
        done(new ChatError('invalid_request', 'The body is not valid JSON.'), undefined);
      }
    },
  );
}
