import { toHttpError } from './apiError';

export interface HttpResponse<T> {
  status: number;
  headers: Headers;
  json: T;
}

/**
 * The one place that talks to /api. Auth is the httpOnly session cookie, so
 * requests must carry cookies (same-origin) and never an Authorization header.
 */
export async function http<T = unknown>(
  url: string,
  init: { method?: string; body?: unknown; signal?: AbortSignal } = {},
): Promise<HttpResponse<T>> {
  const headers = new Headers({ Accept: 'application/json' });
  const hasBody = init.body !== undefined;
  if (hasBody) headers.set('Content-Type', 'application/json');

  const response = await fetch(url, {
    method: init.method ?? 'GET',
    headers,
    body: hasBody ? JSON.stringify(init.body) : undefined,
    credentials: 'same-origin',
    signal: init.signal,
  });

  const text = await response.text();
  let json: unknown = undefined;
  if (text) {
    try {
      json = JSON.parse(text);
    } catch {
      // Non-JSON bodies (e.g. a proxy's HTML error page) are reported via statusText.
    }
  }
  if (!response.ok) throw toHttpError(response.status, response.statusText, json);
  return { status: response.status, headers: response.headers, json: json as T };
}
