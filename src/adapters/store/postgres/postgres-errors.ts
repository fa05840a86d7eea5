import type { ErrorKind } from '../sql/engine.js';

const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now
  '57014', // query_canceled: statement_timeout
  '53300', // too_many_connections
  '3D000', // invalid_catalog_name: the database is gone
]);

const UNAVAILABLE_MESSAGES =
  /Connection terminated|Query read timeout|timeout exceeded when trying to connect|Client has encountered a connection error|connection timeout|Cannot use a pool after calling end/i;

/** Sorts pg's errors: SQLSTATE codes, socket codes, and the messages of pg's own timeouts. */
export function classifyPgError(err: unknown): ErrorKind {
  const { code, message } = err as { code?: unknown; message?: unknown };
  if (code === '23505') return 'unique';
  if (typeof code === 'string' && (UNAVAILABLE_CODES.has(code) || code.startsWith('08'))) {
    return 'unavailable';
  }
  if (typeof message === 'string' && UNAVAILABLE_MESSAGES.test(message)) return 'unavailable';
  return 'other';
}
