/** Thin fetch helpers: JSON in, `{ status, body, headers }` out. */
export interface Answer<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

export async function call<T = any>(
  baseUrl: string,
  method: string,
  path: string,
  options: { body?: unknown; token?: string; raw?: string; contentType?: string } = {},
): Promise<Answer<T>> {
  const headers: Record<string, string> = {};
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  let body: string | undefined;
  if (options.raw !== undefined) {
    body = options.raw;
    headers['content-type'] = options.contentType ?? 'application/json';
  } else if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers['content-type'] = 'application/json';
  }
  const response = await fetch(`${baseUrl}${path}`, { method, headers, body });
  const text = await response.text();
  return {
    status: response.status,
    body: text ? (JSON.parse(text) as T) : (undefined as T),
    headers: response.headers,
  };
}

let users = 0;

/** Signs a fresh user up and returns its token and id. */
export async function signup(
  baseUrl: string,
  prefix = 'user',
): Promise<{ token: string; id: string; name: string }> {
  const username = `${prefix}${process.pid}x${++users}`;
  const answer = await call(baseUrl, 'POST', '/api/signup', {
    body: { username, password: 'correct horse' },
  });
  if (answer.status !== 201) throw new Error(`signup failed: ${JSON.stringify(answer.body)}`);
  return { token: answer.body.token, id: answer.body.user.id, name: username };
}

export async function createRoom(
  baseUrl: string,
  token: string,
  body: Record<string, unknown> = {},
): Promise<string> {
  const answer = await call(baseUrl, 'POST', '/api/room', { token, body });
  if (answer.status !== 201)
    throw new Error(`room creation failed: ${JSON.stringify(answer.body)}`);
  return answer.body.roomId;
}
