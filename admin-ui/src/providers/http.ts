import { toHttpError } from './apiError';

export interface HttpResponse<T> {
  status: number;
  headers: Headers;
  json: T;
}

export interface HttpInit {
  method?: string;
  /** JSON body (sent as application/json). */
  body?: unknown;
  /** Raw body sent as-is, e.g. an uploaded CSV file; takes precedence over `body`. */
  raw?: { data: Blob; contentType: string };
  signal?: AbortSignal;
}

/**
 * The one place that talks to /api. Auth is the httpOnly session cookie, so
 * requests must carry cookies (same-origin) and never an Authorization header.
 */
export async function http<T = unknown>(url: string, init: HttpInit = {}): Promise<HttpResponse<T>> {
  const headers = new Headers({ Accept: 'application/json' });
  let body: BodyInit | undefined;
  if (init.raw) {
    headers.set('Content-Type', init.raw.contentType);
    body = init.raw.data;
  } else if (init.body !== undefined) {
    headers.set('Content-Type', 'application/json');
    body = JSON.stringify(init.body);
  }

  const response = await fetch(url, {
    method: init.method ?? 'GET',
    headers,
    body,
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
