/** A failed HTTP call, with the contract's error code when the server gave one. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string | undefined,
    message: string,
  ) {
    super(message);
  }
}

/** The few HTTP calls the terminal client makes: JSON in, JSON out, errors as ApiError. */
export class ApiClient {
  readonly wsUrl: string;

  constructor(readonly baseUrl: string) {
    this.wsUrl = baseUrl.replace(/^http/, 'ws');
  }

  get<T>(path: string, token?: string): Promise<T> {
    return this.call<T>('GET', path, undefined, token);
  }

  post<T>(path: string, body: unknown, token?: string): Promise<T> {
    return this.call<T>('POST', path, body, token);
  }

  private async call<T>(method: string, path: string, body: unknown, token?: string): Promise<T> {
    const headers: Record<string, string> = {};
    if (token) headers.authorization = `Bearer ${token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    let response: Response;
    try {
      response = await fetch(`${this.baseUrl}${path}`, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (err) {
      const cause = (err as { cause?: { code?: string } }).cause?.code ?? String(err);
      throw new ApiError(0, undefined, `cannot reach ${this.baseUrl} (${cause})`);
    }
    const text = await response.text();
    const json = text ? (JSON.parse(text) as unknown) : undefined;
    if (!response.ok) {
      const error = (json as { error?: { code?: string; message?: string } } | undefined)?.error;
      throw new ApiError(response.status, error?.code, error?.message ?? `HTTP ${response.status}`);
    }
    return json as T;
  }
}
