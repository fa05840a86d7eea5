import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Logger } from '../../logger.js';

/**
 * The browser client's page: scripts and styles from this origin only, no
 * plugins, no framing. User text is never HTML (the client renders text
 * nodes), so this is a second line of defence, not the first.
 */
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** Vite puts content-hashed files under /assets/: they never change, so caches may keep them. */
const ASSET_CACHE = 'public, max-age=31536000, immutable';

const NOT_BUILT_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Confab</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 36rem; margin: 4rem auto; padding: 0 1rem">
<h1>Confab</h1>
<p>The web client is not built. Run <code>npm run build</code>, then restart the server.</p>
<p>The API is up: <a href="/api/healthz">/api/healthz</a>.</p>
</body></html>`;

/**
 * Serves the built browser client (dist/web) at `/`. Only the files that
 * exist are routes (no wildcard), so every other path, `/api/*` included,
 * still falls through to the JSON not-found answer.
 */
export function webClient(app: FastifyInstance, log: Logger, root = builtClientDir()): void {
  if (!existsSync(join(root, 'index.html'))) {
    log.warn({ root }, 'the web client is not built: run `npm run build`');
    app.get('/', { schema: { hide: true } }, (_request, reply) =>
      reply
        .type('text/html; charset=utf-8')
        .header('cache-control', 'no-store')
        .send(NOT_BUILT_PAGE),
    );
    return;
  }
  app.register(fastifyStatic, {
    root,
    prefix: '/',
    wildcard: false,
    setHeaders: (reply, path) => securityHeaders(reply, path),
  });
}

function securityHeaders(reply: FastifyReply, path: string): void {
  reply.header('x-content-type-options', 'nosniff');
  if (path.endsWith('.html')) {
    // Always revalidate the page, so a new build's asset names are picked up at once.
    reply.header('cache-control', 'no-cache');
    reply.header('content-security-policy', CONTENT_SECURITY_POLICY);
    reply.header('referrer-policy', 'no-referrer');
  } else if (/[\\/]assets[\\/]/.test(path)) {
    reply.header('cache-control', ASSET_CACHE);
  }
}

/**
 * `<checkout>/dist/web`, found from this file whether it runs compiled
 * (dist/src/transport/http) or from source (src/transport/http).
 */
function builtClientDir(): string {
  let dir = import.meta.dirname;
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) return join(import.meta.dirname, 'web');
    dir = parent;
  }
  return join(dir, 'dist', 'web');
}
