import type { IncomingMessage } from 'node:http';

/**
 * Whether a WebSocket upgrade may proceed, by its `Origin` header. A browser
 * page of another site could otherwise open a socket with the visitor's
 * `?token=` (cross-site WebSocket hijacking). Allowed: no `Origin` (terminals,
 * bots, servers), the server's own origin (its Host, or X-Forwarded-Host
 * behind a trusted proxy), and what `ALLOWED_ORIGINS` lists (`*`: any, even
 * the `null` origin of sandboxed pages and files).
 */
export function isAllowedOrigin(
  request: IncomingMessage,
  allowed: readonly string[],
  trustProxy: boolean,
): boolean {
  const origin = request.headers.origin;
  if (origin === undefined) return true;
  if (allowed.includes('*') || allowed.includes(origin)) return true;
  let host: string;
  try {
    host = new URL(origin).host;
  } catch {
    return false; // "null", or not a URL at all
  }
  const forwarded = request.headers['x-forwarded-host'];
  const ownHost =
    trustProxy && typeof forwarded === 'string'
      ? forwarded.split(',', 1)[0]?.trim()
      : request.headers.host;
  return host !== '' && host === ownHost;
}
