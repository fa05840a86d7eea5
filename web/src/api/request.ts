import type { ErrorBody } from '../protocol.js';
import { ApiError } from './api-error.js';

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  token?: string | null;
  body?: unknown;
}

/**
 * One JSON call to the API on this origin. Resolves with the parsed body, or
 * rejects with an ApiError carrying the server's code (or `network`).
 */
export async function request<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  let body: string | undefined;
  if (options.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(options.body);
  }
  let response: Response;
  try {
    response = await fetch(path, { method: options.method ?? 'GET', headers, body });
  } catch {
    throw ApiError.network();
  }
  const text = await response.text().catch(() => '');
  const parsed: unknown = text ? safeParse(text) : undefined;
  if (!response.ok) {
    const error = (parsed as { error?: ErrorBody } | undefined)?.error;
    throw ApiError.fromBody(response.status, error);
  }
  return parsed as T;
}

function safeParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
