import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';

/**
 * The OpenAPI 3 document, generated from the schemas that validate each
 * route: registered before the routes, so that it sees each one as it is
 * added. A route with `schema.hide` stays out (the docs' own files, the
 * web client's files, `/api/openapi.json`).
 */
export async function installOpenApi(app: FastifyInstance): Promise<void> {
  const version = packageVersion();
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Confab',
        version,
        description:
          'The HTTP API of a Confab chat server. The WebSocket protocol (`/api/ws`, `/api/serve/{roomId}`) is described in docs/protocol.md. Errors answer `{error:{code,message}}`; the codes are listed there too.',
      },
      tags: [
        { name: 'accounts', description: 'Sign up, log in, guests and tokens' },
        { name: 'rooms', description: 'Rooms, members and history' },
        {
          name: 'messages',
          description: 'Edits, deletions and reactions (each a sequenced event), and search',
        },
        { name: 'operations', description: 'Health, readiness and metrics' },
      ],
      components: {
        securitySchemes: {
          bearer: {
            type: 'http',
            scheme: 'bearer',
            description: 'The token from /api/signup, /api/login or /api/guest.',
          },
        },
      },
    },
  });
}

/**
 * `/api/openapi.json`, and a page at `/docs` to read and try it, served from
 * the package (no CDN). One document: the page reads `/api/openapi.json`
 * (relative, so that it also works behind a path prefix), and the plugin's own
 * `/docs/json` redirects there.
 */
export async function openApiRoutes(app: FastifyInstance): Promise<void> {
  app.get('/api/openapi.json', { schema: { hide: true } }, () => app.swagger());
  await app.register(swaggerUi, {
    routePrefix: '/docs',
    staticCSP: true,
    // `urls` wins over the plugin's fixed `url: ./json`; the page is /docs/ or /docs.
    uiConfig: {
      urls: [{ url: '../api/openapi.json', name: 'Confab' }],
      docExpansion: 'list',
      deepLinking: true,
      tryItOutEnabled: true,
    },
    uiHooks: {
      onRequest: async (request, reply) => {
        if (/^\/docs\/json(\?|$)/.test(request.url)) return reply.redirect('../api/openapi.json');
      },
    },
  });
}

/** The checkout's package.json version, found from this file compiled (dist/src/...) or not. */
function packageVersion(): string {
  for (let dir = import.meta.dirname; ; dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    if (existsSync(file))
      return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
    if (dirname(dir) === dir) return '0.0.0';
  }
}
